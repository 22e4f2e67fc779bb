package io.idgate.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.engine.LiveReach;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.guardrails.InvariantCheck;
import io.idgate.guardrails.Violation;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.InvalidObject;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestException;
import io.idgate.k8s.ManifestNetworkPolicySource;
import io.idgate.k8s.ManifestReader;
import io.idgate.netpol.FieldProblem;
import io.idgate.netpol.NetworkPolicyProblems;
import io.idgate.netpol.PolicyRules;
import io.idgate.netpol.Protocol;
import io.idgate.reach.Explanation;
import io.idgate.reach.Focus;
import io.idgate.reach.ReachDiff;
import io.idgate.reach.ReachGraph;
import io.idgate.reach.Reachability;
import io.idgate.reach.Views;
import io.idgate.render.reach.ReachExplain;
import io.idgate.render.reach.ReachOutput;
import io.idgate.render.reach.ReachRendering;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /api/v1/reach}: who can reach whom in the live world (design section 7), for the page and for
 * tools, under the API's viewer role. The same engine and renderers as {@code idgate reach}:
 * <ul>
 *   <li>{@code GET reach?by=&focus=&spoofable=&output=}: the graph ({@code reach list});
 *   <li>{@code POST reach/diff?by=&output=}: what the NetworkPolicies of the body would open and close, and the
 *       invariants that would refuse them (JSON, the default); {@code output=html} (or svg, txt, ...) the
 *       changes alone as {@code reach diff -o FORMAT} draws them; nothing is stored ({@code reach diff});
 *   <li>{@code GET reach/explain?src=&dst=&port=}: which policy and rule allow or isolate each direction.
 * </ul>
 */
@Path("/api/v1/reach")
public class ReachResource {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private static final Map<ReachOutput, String> MEDIA_TYPES = Map.of(ReachOutput.JSON, MediaType.APPLICATION_JSON,
            ReachOutput.HTML, "text/html; charset=utf-8", ReachOutput.SVG, "image/svg+xml", ReachOutput.CSV, "text/csv; charset=utf-8",
            ReachOutput.MD, "text/markdown; charset=utf-8", ReachOutput.DOT, "text/vnd.graphviz; charset=utf-8",
            ReachOutput.TXT, "text/plain; charset=utf-8");

    private final LiveReach live;
    private final GuardrailConfigMaps guardrails;
    private final IdentityDeriver deriver;

    public ReachResource(LiveReach live, GuardrailConfigMaps guardrails, IdentityDeriver deriver) {
        this.live = live;
        this.guardrails = guardrails;
        this.deriver = deriver;
    }

    @GET
    @RolesAllowed(ApiRoles.VIEWER)
    public Response list(@QueryParam("by") @DefaultValue("workload") String by, @QueryParam("focus") String focus,
            @QueryParam("spoofable") @DefaultValue("false") boolean spoofable, @QueryParam("output") @DefaultValue("json") String output) {
        Response refused = notReady();
        if (refused != null) {
            return refused;
        }
        ReachOutput format;
        ReachGraph graph;
        try {
            format = ReachOutput.of(output.toLowerCase(Locale.ROOT));
            graph = Views.of(live.current(), by);
        } catch (IllegalArgumentException e) {
            return Problems.badRequest(e.getMessage());
        }
        if (focus != null && !focus.isEmpty() && !Focus.namesAPeer(graph, focus)) {
            // an empty graph would read as "nothing reaches it"; a name that matches nothing is a typo
            return Problems.badRequest("focus " + focus + " names no peer of the " + graph.view()
                    + " view; give ns/name, ns/name[Kind], ns/* or group:NAME as GET /api/v1/reach?by=" + by + " lists them");
        }
        String body = format.list(ReachRendering.graph(Focus.apply(graph, focus == null || focus.isEmpty() ? null : focus, spoofable)));
        return Response.ok(body).type(MEDIA_TYPES.get(format)).build();
    }

    @POST
    @Path("diff")
    @RolesAllowed(ApiRoles.VIEWER)
    @Consumes(MediaType.WILDCARD)
    public Response diff(byte[] body, @QueryParam("by") @DefaultValue("identity") String by,
            @QueryParam("output") @DefaultValue("json") String output) {
        Response refused = notReady();
        if (refused != null) {
            return refused;
        }
        ReachOutput format;
        try {
            format = ReachOutput.of(output.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Problems.badRequest(e.getMessage());
        }
        List<Manifest> manifests;
        try {
            manifests = ManifestReader.read("request body", new ByteArrayInputStream(body));
        } catch (ManifestException e) {
            return Problems.badRequest(e.getMessage());
        }
        Reachability now = live.current();
        Map<String, PolicyRules> policies = new LinkedHashMap<>();
        now.world().policies().forEach(p -> policies.put(p.id(), p));
        List<String> problems = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (Manifest m : ClusterObjects.of(manifests, ManifestNetworkPolicySource.DEFAULT_NAMESPACE).all()) {
            if (!"NetworkPolicy".equals(m.kind())) {
                ignored.add(m.location() + ": " + m.kind() + " " + m.name() + " ignored; the what-if takes NetworkPolicies");
                continue;
            }
            try {
                var policy = ManifestNetworkPolicySource.toNetworkPolicy(m);
                List<FieldProblem> found = NetworkPolicyProblems.of(policy);
                found.forEach(f -> problems.add(m.location() + ": NetworkPolicy " + m.namespace() + "/" + m.name() + ": " + f.field() + ": " + f.message()));
                if (found.isEmpty()) {
                    PolicyRules rules = PolicyRules.of(policy);
                    policies.put(rules.id(), rules); // added, or replacing the stored one of the same name
                }
            } catch (InvalidObject e) {
                problems.add(e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            return Problems.badRequest(String.join("\n", problems));
        }
        Reachability[] both = Reachability.comparable(now.world(), now.world().withPolicies(new ArrayList<>(policies.values())), deriver.keys());
        ReachDiff changes;
        try {
            changes = ReachDiff.of(Views.of(both[0], by), Views.of(both[1], by));
        } catch (IllegalArgumentException e) {
            return Problems.badRequest(e.getMessage());
        }
        if (format != ReachOutput.JSON) {
            // the diff alone, as reach diff -o FORMAT draws it (the page's what-if: added and removed edges
            // highlighted); invariants and ignored documents are in the JSON answer
            return Response.ok(format.diff(ReachRendering.diff(changes))).type(MEDIA_TYPES.get(format)).build();
        }
        InvariantCheck invariants = new InvariantCheck(guardrails.snapshot().invariants(), deriver.config());
        List<Violation> broken = invariants.opened(ReachDiff.of(both[0].graph(), both[1].graph()), both[1],
                InvariantCheck.Subject.at("reachability"));
        ObjectNode root = JSON.createObjectNode();
        root.set("diff", read(ReachOutput.JSON.diff(ReachRendering.diff(changes))));
        var lines = root.putArray("invariants");
        broken.forEach(v -> lines.addObject().put("invariant", v.rule()).put("action", v.action().wire()).put("message", v.line()));
        var notes = root.putArray("ignored");
        ignored.forEach(notes::add);
        return Response.ok(root.toPrettyString()).type(MediaType.APPLICATION_JSON).build();
    }

    @GET
    @Path("explain")
    @RolesAllowed(ApiRoles.VIEWER)
    public Response explain(@QueryParam("src") String src, @QueryParam("dst") String dst, @QueryParam("port") Integer port,
            @QueryParam("protocol") String protocol) {
        Response refused = notReady();
        if (refused != null) {
            return refused;
        }
        if (src == null || dst == null) {
            return Problems.badRequest("give src and dst, each ns/name[Kind], ns/name or an IPv4 address");
        }
        Protocol proto = null;
        if (protocol != null) {
            proto = Protocol.fromWire(protocol.toUpperCase(Locale.ROOT)).orElse(null);
            if (proto == null) {
                return Problems.badRequest("protocol " + protocol + " is not TCP, UDP or SCTP");
            }
        }
        if (port != null && (port < 1 || port > 65535)) {
            return Problems.badRequest("port " + port + " is not 1-65535");
        }
        Reachability r = live.current();
        String from = Focus.resolve(r.graph(), src);
        String to = Focus.resolve(r.graph(), dst);
        var explanation = Explanation.of(r.world(), deriver.keys(), from, to, port, proto);
        if (explanation.isEmpty()) {
            return Problems.badRequest("no peer named " + (Focus.known(r.graph(), from) ? dst : src) + "; GET /api/v1/reach shows the names");
        }
        return Response.ok(ReachExplain.json(explanation.get())).type(MediaType.APPLICATION_JSON).build();
    }

    private Response notReady() {
        return live.synced() ? null
                : Problems.status(503, "idgate has not read the pods, namespaces and NetworkPolicies yet; retry when it is ready");
    }

    private static com.fasterxml.jackson.databind.JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
