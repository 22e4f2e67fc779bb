package io.idgate.reach;

import static io.idgate.reach.Worlds.deploy;
import static io.idgate.reach.Worlds.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.netpol.Protocol;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ExplainAndViewsTest {

    static final String WORLD = deploy("shop", "a", "{app: a}", "[]")
            + deploy("shop", "b", "{app: b, idgate.io/service-account: sb}", "[{name: http, containerPort: 8080}]")
            + deploy("shop", "b2", "{app: b, idgate.io/service-account: sb}", "[{name: http, containerPort: 8080}]")
            + policy("shop", "deny", "podSelector: {}\ningress: []\n")
            + policy("shop", "b-from-a", "podSelector: {matchLabels: {app: b}}\ningress:\n- from: [{podSelector: {matchLabels: {app: a}}}]\n  ports: [{port: http}]\n"
                    + "- from: [{ipBlock: {cidr: 10.0.0.0/8}}]\n");

    @Test
    void explainNamesPolicyRuleAndPeerForEachDirection() {
        Reachability r = Worlds.reach(WORLD);
        Explanation x = Explanation.of(r.world(), Worlds.KEYS, "shop/a[Deployment]", "shop/b[Deployment]", null, null).orElseThrow();
        assertEquals("""
                shop/a[Deployment] => shop/b[Deployment]
                  egress of shop/a[Deployment]: open by default (no NetworkPolicy selects it for Egress)
                  ingress of shop/b[Deployment]: isolated by shop/b-from-a, shop/deny
                    allowed by shop/b-from-a spec.ingress[0].from[0] : TCP 8080 (spoofable)
                  result: TCP 8080 (spoofable: only selectors that do not pin identity allow it)
                """, io.idgate.render.reach.ReachExplain.text(x));
    }

    @Test
    void explainOnAPortTheRulesDoNotOpen() {
        Reachability r = Worlds.reach(WORLD);
        Explanation x = Explanation.of(r.world(), Worlds.KEYS, "shop/b[Deployment]", "shop/a[Deployment]", 80, Protocol.TCP).orElseThrow();
        assertEquals("""
                shop/b[Deployment] => shop/a[Deployment] on 80/TCP
                  egress of shop/b[Deployment]: open by default (no NetworkPolicy selects it for Egress)
                  ingress of shop/a[Deployment]: isolated by shop/deny
                    no rule of these policies allows it
                  result: no connection
                """, io.idgate.render.reach.ReachExplain.text(x));
    }

    @Test
    void explainAcceptsAnAddressForAnExternal() {
        Reachability r = Worlds.reach(WORLD);
        Explanation x = Explanation.of(r.world(), Worlds.KEYS, "10.1.2.3", "shop/b[Deployment]", 443, Protocol.TCP).orElseThrow();
        assertEquals("TCP 443", x.result().toString());
        assertEquals("shop/b-from-a spec.ingress[1]", x.ingress().allowedBy().get(0).policy() + " " + x.ingress().allowedBy().get(0).rulePath());
        assertTrue(Explanation.of(r.world(), Worlds.KEYS, "nope", "shop/b[Deployment]", null, null).isEmpty());
    }

    @Test
    void whoListsTheEdgesIntoAndOutOfAPeer() {
        ReachGraph g = Worlds.reach(WORLD).graph();
        assertEquals("", ReachText.list(g.into("shop/a[Deployment]")), "shop/deny isolates a and nothing allows it");
        assertEquals("""
                10.0.0.0-10.255.255.255[External] => shop/b[Deployment] : All Connections
                shop/a[Deployment] => shop/b[Deployment] : TCP 8080
                """, ReachText.list(g.into("shop/b[Deployment]")));
        // plain String order, as every list output: '2' sorts before '['
        assertEquals("""
                shop/a[Deployment] => 0.0.0.0-9.255.255.255[External] : All Connections
                shop/a[Deployment] => 10.0.0.0-10.255.255.255[External] : All Connections
                shop/a[Deployment] => 11.0.0.0-255.255.255.255[External] : All Connections
                shop/a[Deployment] => shop/b2[Deployment] : TCP 8080
                shop/a[Deployment] => shop/b[Deployment] : TCP 8080
                """, ReachText.list(g.outOf("shop/a[Deployment]")));
    }

    @Test
    void identityViewFoldsWorkloadsOntoServiceAccountsWithoutSelfEdges() {
        String world = deploy("shop", "a", "{app: a}") + deploy("shop", "b", "{app: b}") + deploy("shop", "c", "{app: c}")
                .replace("template:\n    metadata: {labels: {app: c}}\n    spec:\n", "template:\n    metadata: {labels: {app: c}}\n    spec:\n      serviceAccountName: c-sa\n")
                + policy("shop", "c-in", "podSelector: {matchLabels: {app: c}}\ningress:\n- from: [{podSelector: {matchLabels: {app: a}}}]\n  ports: [{port: 80}]\n");
        ReachGraph g = Views.identity(Worlds.reach(world));
        assertEquals("""
                0.0.0.0-255.255.255.255[External] => shop/default[ServiceAccount] : All Connections
                shop/c-sa[ServiceAccount] => 0.0.0.0-255.255.255.255[External] : All Connections
                shop/c-sa[ServiceAccount] => shop/default[ServiceAccount] : All Connections
                shop/default[ServiceAccount] => 0.0.0.0-255.255.255.255[External] : All Connections
                shop/default[ServiceAccount] => shop/c-sa[ServiceAccount] : TCP 80
                """, ReachText.list(g));
        assertEquals(List.of(true), g.edges().stream().filter(e -> e.dst().equals("shop/c-sa[ServiceAccount]")).map(Edge::spoofable).toList());
    }

    @Test
    void groupViewUsesTheMembershipTheCallerGives() {
        String world = deploy("shop", "a", "{app: a}") + deploy("shop", "b", "{app: b}") + deploy("shop", "c", "{app: c}")
                + policy("shop", "c-in", "podSelector: {matchLabels: {app: c}}\ningress:\n- from: [{podSelector: {matchLabels: {groups.idgate.io/pci: \"true\"}}}]\n");
        World w = Worlds.builder(world).groups(p -> switch (p.name()) {
            case "a" -> Set.of("pci", "web");
            case "c" -> Set.of("vault");
            default -> Set.of();
        }).build();
        ReachGraph g = Views.group(Reachability.of(w, Worlds.KEYS));
        assertEquals("""
                0.0.0.0-255.255.255.255[External] => group:pci : All Connections
                0.0.0.0-255.255.255.255[External] => group:web : All Connections
                group:pci => 0.0.0.0-255.255.255.255[External] : All Connections
                group:vault => 0.0.0.0-255.255.255.255[External] : All Connections
                group:vault => group:pci : All Connections
                group:vault => group:web : All Connections
                group:web => 0.0.0.0-255.255.255.255[External] : All Connections
                """, ReachText.list(g), "a lacks the pci label, so nothing reaches vault; pci and web are one peer (no self edges)");
    }

    @Test
    void diffTextHasOneLinePerChange() {
        ReachGraph before = Worlds.reach(WORLD).graph();
        ReachGraph after = Worlds.reach(WORLD.replace("[{port: http}]", "[{port: http}, {port: 53, protocol: UDP}]")
                + deploy("shop", "d", "{app: d}")).graph();
        String diff = ReachText.diff(ReachDiff.of(before, after));
        assertTrue(diff.contains("~ shop/a[Deployment] => shop/b[Deployment] : TCP 8080 -> TCP 8080,UDP 53\n"), diff);
        assertTrue(diff.contains("+ shop/d[Deployment] => 0.0.0.0-9.255.255.255[External] : All Connections\n"), diff);
        String back = ReachText.diff(ReachDiff.of(after, before));
        assertTrue(back.contains("- shop/d[Deployment] => 0.0.0.0-9.255.255.255[External] : All Connections\n"), back);
    }
}
