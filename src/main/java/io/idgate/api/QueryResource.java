package io.idgate.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.idgate.engine.Finding;
import io.idgate.engine.ObjectReviewer;
import io.idgate.render.IdentityDocument;
import io.idgate.render.Report;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.idgate.guardrails.Group;
import io.idgate.guardrails.Operation;
import io.idgate.guardrails.Rule;
import io.idgate.guardrails.TrustedIssuer;
import io.idgate.identity.DerivedIdentity;
import io.idgate.identity.IdentityDeriver;
import io.idgate.identity.ServiceAccountInfo;
import io.idgate.identity.WorkloadIdentity;
import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestException;
import io.idgate.k8s.ManifestNetworkPolicySource;
import io.idgate.k8s.ManifestReader;
import io.idgate.k8s.ClusterObjects;
import io.idgate.k8s.InvalidObject;
import io.idgate.k8s.PodTemplates;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * {@code /api/v1}: what idgate knows, for people and tools with a token from the configured issuer.
 * <ul>
 *   <li>{@code GET identities}: the keys an identity gets (with its groups under the guardrails in
 *       force), as {@code idgate labels -o json} prints them;
 *   <li>{@code POST explain}: NetworkPolicies and pods (YAML or JSON, several documents) judged against
 *       the guardrails, ServiceAccounts and NetworkPolicies in force, as {@code idgate check -o json};
 *   <li>{@code GET guardrails} (admin): the merged snapshot and the state of every guardrail ConfigMap.
 * </ul>
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class QueryResource {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private final IdentityDeriver deriver;
    private final GuardrailConfigMaps guardrails;
    private final ObjectReviewer reviewer;

    public QueryResource(IdentityDeriver deriver, GuardrailConfigMaps guardrails, ObjectReviewer reviewer) {
        this.deriver = deriver;
        this.guardrails = guardrails;
        this.reviewer = reviewer;
    }

    @GET
    @Path("identities")
    @RolesAllowed(ApiRoles.VIEWER)
    public Response identities(@QueryParam("namespace") String namespace, @QueryParam("serviceAccount") String serviceAccount,
            @QueryParam("spiffeId") String spiffeId, @QueryParam("awsRoleArn") String awsRoleArn,
            @QueryParam("gcpServiceAccount") String gcpServiceAccount, @QueryParam("azureClientId") String azureClientId) {
        if (spiffeId != null) {
            Matcher m = WorkloadIdentity.SPIFFE_ID.matcher(spiffeId);
            if (!m.matches()) {
                return Problems.badRequest("spiffeId " + spiffeId + " is not a ServiceAccount SPIFFE ID; write spiffe://<trust-domain>/ns/<namespace>/sa/<name>");
            }
            namespace = m.group(2);
            serviceAccount = m.group(3);
        }
        if (namespace == null || namespace.isBlank() || serviceAccount == null || serviceAccount.isBlank()) {
            return Problems.badRequest("give namespace and serviceAccount (or spiffeId) as query parameters");
        }
        var sa = ServiceAccountInfo.of(namespace, serviceAccount, awsRoleArn, gcpServiceAccount, azureClientId);
        DerivedIdentity derived = deriver.derive(sa, guardrails.snapshot().groupsOf(deriver.identityOf(sa)));
        return Response.ok(IdentityDocument.describe(JSON, deriver, namespace, serviceAccount, derived).toString()).build();
    }

    @POST
    @Path("explain")
    @RolesAllowed(ApiRoles.VIEWER)
    @Consumes(MediaType.WILDCARD)
    public Response explain(byte[] body) {
        List<Manifest> manifests;
        try {
            manifests = ManifestReader.read("request body", new ByteArrayInputStream(body));
        } catch (ManifestException e) {
            return Problems.badRequest(e.getMessage());
        }
        List<Finding> findings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Manifest m : ClusterObjects.of(manifests, ManifestNetworkPolicySource.DEFAULT_NAMESPACE).all()) {
            String namespace = m.namespace();
            try {
                if ("NetworkPolicy".equals(m.kind())) {
                    var policy = ManifestNetworkPolicySource.toNetworkPolicy(m);
                    findings.add(reviewer.networkPolicy(Operation.CREATE, policy, null, namespace, m.source(), m.document()));
                } else if (PodTemplates.makesPods(m)) {
                    findings.add(reviewer.pod(m.kind(), namespace, m.name(), PodTemplates.pod(m), m.source(), m.document()));
                }
            } catch (ManifestException e) {
                errors.add(e.getMessage());
            } catch (InvalidObject e) {
                errors.add(m.kind().equals("NetworkPolicy") ? e.getMessage() : m.location() + ": " + m.kind() + " " + m.name() + ": " + e.getMessage());
            }
        }
        return Response.ok(new Report("explain", findings, errors, List.of(), false).json()).build();
    }

    @GET
    @Path("guardrails")
    @RolesAllowed(ApiRoles.ADMIN)
    public Response guardrails() {
        var snapshot = guardrails.snapshot();
        ObjectNode root = JSON.createObjectNode();
        var rules = root.putArray("rules");
        for (Rule r : snapshot.rules()) {
            ObjectNode rule = rules.addObject();
            rule.put("name", r.name()).put("action", r.action().wire()).put("configMap", r.source().configMap())
                    .put("key", r.source().key()).put("description", r.description());
        }
        var groups = root.putObject("groups");
        for (Group g : snapshot.groups().values()) {
            var members = groups.putObject(g.name()).put("configMap", g.source().configMap()).putArray("members");
            g.members().forEach(m -> members.add(m.kind().field() + ": " + (m.claim() == null ? m.pattern()
                    : m.claim().issuer() + "/" + m.claim().name() + "=" + m.pattern())));
        }
        var issuers = root.putObject("issuers");
        for (TrustedIssuer i : snapshot.issuers().values()) {
            ObjectNode issuer = issuers.putObject(i.name()).put("issuer", i.issuer()).put("audience", i.audience())
                    .put("keys", i.jwksUrl() == null ? "inline" : i.jwksUrl().toString());
            if (i.authorizedParty() != null) {
                issuer.put("authorizedParty", i.authorizedParty());
            }
            issuer.set("claims", JSON.valueToTree(i.claims()));
        }
        var states = root.putObject("configMaps");
        guardrails.states().forEach((id, state) -> {
            ObjectNode s = states.putObject(id).put("resourceVersion", state.resourceVersion()).put("valid", state.valid())
                    .put("inForce", state.inForce());
            state.errors().forEach(e -> s.withArray("errors").add(e.text()));
        });
        return Response.ok(root.toString()).build();
    }
}
