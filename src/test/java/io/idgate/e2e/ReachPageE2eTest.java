package io.idgate.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.testing.ReachPageBrowser;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;

/**
 * The page (/ui/) on the real API server: a second idgate, in cluster mode, reads the e2e cluster
 * through its informers (as its own ServiceAccount, the shipped RBAC) and serves the page and the
 * query API on plain HTTP at 127.0.0.1 (no webhooks point at it). Headless chromium draws the live
 * graph of this test's namespaces exactly as GET /api/v1/reach answers, marks the spoofable edge, and
 * highlights a pasted policy's added and removed edges; without the viewer role it shows no data and
 * the API refuses. Screenshots: target/reach-page-e2e/*.png. Skipped only where chromium or chromedriver
 * is not installed (.ci/run installs both).
 *
 * <p>The objects, created with kubectl through the shared idgate's webhooks, and the edges they give:
 * <pre>
 * e2e-page-shop/web[Pod]      => e2e-page-shop/checkout[Pod]       TCP 8080  (podSelector idgate.io/service-account: web)
 * e2e-page-shop/checkout[Pod] => e2e-page-pay/api[Pod]             TCP 8080  spoofable (podSelector app: checkout)
 * e2e-page-pay/api[Pod]       => e2e-page-pay/ledger[StatefulSet]  TCP 5432  (podSelector idgate.io/service-account: api)
 * </pre>
 * Every pod's ingress is isolated, so nothing else reaches them. All of it is deleted afterwards.
 */
@Tag("e2e")
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReachPageE2eTest {

    static final String SHOP = "e2e-page-shop";
    static final String PAY = "e2e-page-pay";
    static final String VIEWERS = "e2e-page-viewers";
    static final String WEB = SHOP + "/web[Pod]";
    static final String CHECKOUT = SHOP + "/checkout[Pod]";
    static final String API = PAY + "/api[Pod]";
    static final String LEDGER = PAY + "/ledger[StatefulSet]";
    /** The edges among this test's peers, as the API's JSON and the drawing name them. */
    static final Set<String> EDGES = Set.of(
            WEB + " => " + CHECKOUT + " : TCP 8080",
            CHECKOUT + " => " + API + " : TCP 8080 (spoofable)",
            API + " => " + LEDGER + " : TCP 5432");

    /** Who may call checkout: web's pods, by the label idgate's webhook stamps from the ServiceAccount. */
    static final String FROM_WEB = "{podSelector: {matchLabels: {idgate.io/service-account: web}}}";
    /** Who may call the api: any pod of e2e-page-shop labelled app: checkout (any pod author there can set that label). */
    static final String FROM_CHECKOUT = "{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: e2e-page-shop}},"
            + " podSelector: {matchLabels: {app: checkout}}}";

    static final String OBJECTS = String.join("---\n",
            policy(SHOP, "checkout-from-web", "checkout", FROM_WEB, 8080),
            policy(PAY, "api-from-checkout", "api", FROM_CHECKOUT, 8080),
            policy(PAY, "ledger-from-api", "ledger", "{podSelector: {matchLabels: {idgate.io/service-account: api}}}", 5432),
            pod(SHOP, "web", "web", 8080, ""), pod(SHOP, "checkout", "checkout", 8080, ""), pod(PAY, "api", "api", 8080, ""),
            """
            apiVersion: apps/v1
            kind: StatefulSet
            metadata: {name: ledger, namespace: e2e-page-pay}
            spec:
              serviceName: ledger
              replicas: 1
              selector: {matchLabels: {app: ledger}}
              template:
                metadata: {labels: {app: ledger}}
                spec:
                  serviceAccountName: ledger
                  containers: [{name: app, image: registry.example.com/ledger:1, ports: [{containerPort: 5432}]}]
            """);

    /** Pasted into the what-if box: web may call the api too (an edge added), the ledger is closed (one removed). */
    static final String WHAT_IF = policy(PAY, "api-from-web", "api",
            FROM_CHECKOUT.replace("app: checkout", "idgate.io/service-account: web"), 8080)
            + "---\n" + policy(PAY, "ledger-from-api", "ledger", null, 0);

    /**
     * A policy isolating the ingress of the pods labelled app: {@code app} (null: all), letting in
     * {@code from} (null: nothing) on TCP {@code port}.
     */
    static String policy(String ns, String name, String app, String from, int port) {
        return """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: %s, namespace: %s}
                spec:
                  podSelector: %s
                  policyTypes: [Ingress]
                """.formatted(name, ns, app == null ? "{}" : "{matchLabels: {app: " + app + "}}")
                + (from == null ? "" : "  ingress: [{from: [%s], ports: [{protocol: TCP, port: %d}]}]\n".formatted(from, port));
    }

    /** A pod labelled app: {@code app}, running as the ServiceAccount {@code app}, listening on {@code port}; {@code more} metadata. */
    static String pod(String ns, String name, String app, int port, String more) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: %s, labels: {app: %s}%s}
                spec:
                  serviceAccountName: %s
                  containers: [{name: app, image: registry.example.com/%s:1, ports: [{containerPort: %d}]}]
                """.formatted(name, ns, app, more, app, app, port);
    }

    static E2eCluster k8s;
    static ReachPageBrowser page;
    static StandaloneIdgate idgate;
    static int httpPort;

    @BeforeAll
    static void clusterPageAndBrowser() throws Exception {
        page = ReachPageBrowser.open(() -> "http://127.0.0.1:" + httpPort, Path.of("target", "reach-page-e2e"));
        long t0 = System.nanoTime();
        k8s = E2eCluster.get();
        k8s.namespace(SHOP, PAY);
        for (String ns : List.of(SHOP, PAY)) {
            // v1.20 does not set it (1.21+ does); the api's namespaceSelector names the namespace by it
            k8s.kubectlOk("label", "namespace", ns, "kubernetes.io/metadata.name=" + ns, "--overwrite");
            // each namespace's default-deny before its pods, as docs/reachability.md advises
            var denied = k8s.kubectlIn(policy(ns, "default-deny", null, null, 0), "apply", "-f", "-");
            assertTrue(denied.ok(), denied.toString());
        }
        for (String sa : List.of(SHOP + "/web", SHOP + "/checkout", PAY + "/api", PAY + "/ledger")) {
            var created = k8s.kubectl("-n", sa.substring(0, sa.indexOf('/')), "create", "serviceaccount", sa.substring(sa.indexOf('/') + 1));
            assertTrue(created.ok() || created.err().contains("AlreadyExists"), created.toString());
        }
        var applied = k8s.kubectlIn(OBJECTS, "apply", "-f", "-");
        assertTrue(applied.ok(), applied.toString());
        String uid = k8s.kubectlOk("-n", PAY, "get", "statefulset", "ledger", "-o", "jsonpath={.metadata.uid}").out().strip();
        // the StatefulSet's pod, owned by it (no controller runs here to make it): the peer e2e-page-pay/ledger[StatefulSet]
        var ledger = k8s.kubectlIn(pod(PAY, "ledger-0", "ledger", 5432,
                ", ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: ledger, uid: \"" + uid + "\", controller: true}]"), "apply", "-f", "-");
        assertTrue(ledger.ok(), ledger.toString());
        assertTrue(k8s.kubectlOk("-n", PAY, "get", "pod", "api", "-o", "jsonpath={.metadata.labels}").out()
                .contains("idgate.io/service-account"), "the shared idgate's webhook stamped the pods");

        httpPort = E2eCluster.freePort();
        idgate = new StandaloneIdgate(Map.of("KUBECONFIG", E2eCluster.DIR.resolve("idgate.kubeconfig").toString()),
                "-Didgate.cluster=kubernetes", "-Didgate.guardrails.namespace=idgate-system",
                "-Dquarkus.http.port=" + httpPort, "-Dquarkus.http.insecure-requests=enabled", "-Dquarkus.shutdown.delay=0s",
                "-Dmp.jwt.verify.issuer=" + ReachPageBrowser.ISSUER,
                "-Dmp.jwt.verify.publickey.location=" + ReachPageBrowser.PUBLIC_KEY,
                "-Dmp.jwt.verify.audiences=idgate-api", "-Didgate.api.viewer-groups=" + VIEWERS);
        // ready means its informers are synced; the test's objects are in them by now, waited for all the same
        long millis = E2eCluster.await("the second idgate's API answers this test's edges", () -> ours(api("by=workload")).equals(EDGES));
        E2eCluster.log("page e2e: objects and a second idgate (cluster mode, http port %d) in %.1f s, edges seen after %d ms",
                httpPort, (System.nanoTime() - t0) / 1e9, millis);
    }

    @AfterAll
    static void cleanUp() {
        try (var closing = page; var killing = idgate == null ? null : (AutoCloseable) idgate::kill) {
            // ends the idgate this test started (by its pid), then the browser, even when one of them fails
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (k8s != null) {
                for (String ns : List.of(SHOP, PAY)) {
                    k8s.kubectl("-n", ns, "delete", "networkpolicy,pod,statefulset,serviceaccount", "--all", "--wait=false");
                }
                // stays Terminating (no controller-manager here), empty
                k8s.kubectl("delete", "namespace", SHOP, PAY, "--wait=false");
            }
        }
    }

    @BeforeEach
    void freshPage() {
        page.fresh();
    }

    static JsonPath api(String query) {
        return page.api(query + "&output=json", VIEWERS);
    }

    /** The connections of {@code json} between this test's peers, as the drawing titles them. */
    static Set<String> ours(JsonPath json) {
        Set<String> edges = new TreeSet<>();
        for (Map<String, Object> c : json.<Map<String, Object>>getList("connections")) {
            if (String.valueOf(c.get("src")).startsWith("e2e-page-") && String.valueOf(c.get("dst")).startsWith("e2e-page-")) {
                edges.add(c.get("src") + " => " + c.get("dst") + " : " + c.get("conns") + (Boolean.TRUE.equals(c.get("spoofable")) ? " (spoofable)" : ""));
            }
        }
        return edges;
    }

    @Test
    void withoutTheViewerRoleThePageShowsNoDataAndTheApiRefuses() throws Exception {
        String base = "http://127.0.0.1:" + httpPort;
        given().baseUri(base).get("/api/v1/reach?output=json").then().statusCode(401);
        given().baseUri(base).auth().oauth2("not-a-jwt").get("/api/v1/reach?output=json").then().statusCode(401);
        given().baseUri(base).auth().oauth2(ReachPageBrowser.token("someone-else")).get("/api/v1/reach?output=json").then().statusCode(403);
        given().baseUri(base).auth().oauth2(ReachPageBrowser.token("someone-else")).body(WHAT_IF).post("/api/v1/reach/diff").then().statusCode(403);

        assertFalse(page.driver.findElement(By.id("data")).isDisplayed(), "no data section without a token");
        assertEquals(0, page.frames(), "nothing drawn without a token");
        page.giveToken("not-a-jwt");
        page.wait.until(d -> page.status().contains("(401)"));
        assertFalse(page.driver.findElement(By.id("data")).isDisplayed(), "a refused token shows nothing");
        page.giveToken(ReachPageBrowser.token("someone-else", "viewer")); // verifies, but no group idgate maps to the viewer role
        page.wait.until(d -> page.status().contains("no viewer role (403)"));
        assertFalse(page.driver.findElement(By.id("data")).isDisplayed());
        assertEquals(0, page.frames(), "no rendering was loaded");
        assertFalse(page.driver.getPageSource().contains("e2e-page-"), "no name from the cluster on the page");
        page.screenshot("no-viewer-role.png");
    }

    @Test
    void aViewerSeesTheLiveClustersPeersAndEdgesAsTheApiAnswers() throws Exception {
        page.giveToken(ReachPageBrowser.token(VIEWERS));
        JsonPath all = page.assertDrawn("by=workload", VIEWERS);
        assertTrue(all.getList("peers.id", String.class).containsAll(List.of(WEB, CHECKOUT, API, LEDGER)), "this test's pods, by name");
        assertEquals(EDGES, ours(all));
        page.screenshot("graph.png");

        page.focus(PAY + "/*");
        JsonPath focused = page.assertDrawn("by=workload&focus=" + PAY + "/*", VIEWERS);
        assertTrue(ours(focused).containsAll(Set.of(CHECKOUT + " => " + API + " : TCP 8080 (spoofable)", API + " => " + LEDGER + " : TCP 5432")),
                ours(focused).toString());
        page.intoFrame("graph");
        assertTrue(page.texts("svg.reach-graph g.node > title").containsAll(List.of(WEB, CHECKOUT, API, LEDGER)));
        page.screenshot("focus.png", "graph-slot");

        page.spoofableOnly();
        JsonPath spoofable = page.assertDrawn("by=workload&focus=" + PAY + "/*&spoofable=true", VIEWERS);
        assertEquals(Set.of(CHECKOUT + " => " + API + " : TCP 8080 (spoofable)"), ours(spoofable));
        page.intoFrame("graph");
        assertTrue(page.texts("svg.reach-graph g.edge.spoofable > title").contains(CHECKOUT + " => " + API + " : TCP 8080 (spoofable)"),
                "the spoofable edge is drawn marked");
        page.screenshot("spoofable.png", "graph-slot");

        page.view("identity");
        JsonPath identities = page.assertDrawn("by=identity&focus=" + PAY + "/*&spoofable=true", VIEWERS);
        assertEquals(Set.of(SHOP + "/checkout[ServiceAccount] => " + PAY + "/api[ServiceAccount] : TCP 8080 (spoofable)"), ours(identities));
    }

    @Test
    void whatIfHighlightsThePastedPolicysAddedAndRemovedEdges() throws Exception {
        page.giveToken(ReachPageBrowser.token(VIEWERS));
        page.intoFrame("graph");
        page.view("workload");
        assertEquals("1 added, 1 removed, 0 changed (workload view).", page.whatIf(WHAT_IF));

        JsonPath diff = given().baseUri("http://127.0.0.1:" + httpPort).auth().oauth2(ReachPageBrowser.token(VIEWERS))
                .contentType("application/yaml").body(WHAT_IF.getBytes(StandardCharsets.UTF_8)).post("/api/v1/reach/diff?by=workload")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(WEB + " => " + API), diff.getList("diff.added").stream().map(c -> pair(c)).toList(), diff.prettify());
        assertEquals(List.of(API + " => " + LEDGER), diff.getList("diff.removed").stream().map(c -> pair(c)).toList(), diff.prettify());

        page.intoFrame("diff");
        assertEquals(Set.of(WEB + " => " + API + " : + TCP 8080"), page.texts("svg.reach-graph g.edge.added > title"));
        assertEquals(Set.of(API + " => " + LEDGER + " : - TCP 5432"), page.texts("svg.reach-graph g.edge.removed > title"));
        assertEquals(2, page.count("svg.reach-graph g.edge"), "only the changes are drawn");
        assertEquals(1, page.count("table.matrix td.added"));
        assertEquals(1, page.count("table.matrix td.removed"));
        page.screenshot("what-if.png", "what-if");
        assertTrue(k8s.kubectl("-n", PAY, "get", "networkpolicy", "api-from-web").err().contains("NotFound"), "nothing applied");
    }

    private static String pair(Object connection) {
        Map<?, ?> c = (Map<?, ?>) connection;
        return c.get("src") + " => " + c.get("dst");
    }
}
