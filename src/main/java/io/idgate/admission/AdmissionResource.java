package io.idgate.admission;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.concurrent.CompletionStage;

/**
 * The admission endpoints. Thin: each names its handler; {@link AdmissionServer} does decoding,
 * UID copying, errors, metrics and the decision log the same way for all of them.
 *
 * <p>{@code @NonBlocking}: decisions come from memory, so they run on the event loop with no thread
 * hop; the one blocking call (a cache-miss GET) is moved off it by the lookup.
 */
@Path("/")
@Consumes(MediaType.WILDCARD)
@Produces(MediaType.APPLICATION_JSON)
public class AdmissionResource {

    /** The {@code webhook} tag of each endpoint. */
    static final String[] WEBHOOKS = {"mutate-pods", "validate-pods", "validate-networkpolicies", "validate-guardrails"};

    private final AdmissionServer server;
    private final PodMutationHandler mutatePods;
    private final PodValidationHandler validatePods;
    private final NetworkPolicyHandler validateNetworkPolicies;
    private final GuardrailConfigMapHandler validateGuardrails;

    AdmissionResource(AdmissionServer server, PodMutationHandler mutatePods, PodValidationHandler validatePods,
            NetworkPolicyHandler validateNetworkPolicies, GuardrailConfigMapHandler validateGuardrails) {
        this.server = server;
        this.mutatePods = mutatePods;
        this.validatePods = validatePods;
        this.validateNetworkPolicies = validateNetworkPolicies;
        this.validateGuardrails = validateGuardrails;
    }

    @POST
    @Path("mutate/pods")
    @NonBlocking
    public CompletionStage<Response> mutatePods(@HeaderParam("Content-Type") String contentType, byte[] body) {
        return server.serve("mutate-pods", mutatePods, contentType, body);
    }

    @POST
    @Path("validate/pods")
    @NonBlocking
    public CompletionStage<Response> validatePods(@HeaderParam("Content-Type") String contentType, byte[] body) {
        return server.serve("validate-pods", validatePods, contentType, body);
    }

    @POST
    @Path("validate/networkpolicies")
    @NonBlocking
    public CompletionStage<Response> validateNetworkPolicies(@HeaderParam("Content-Type") String contentType, byte[] body) {
        return server.serve("validate-networkpolicies", validateNetworkPolicies, contentType, body);
    }

    @POST
    @Path("validate/guardrails")
    @NonBlocking
    public CompletionStage<Response> validateGuardrails(@HeaderParam("Content-Type") String contentType, byte[] body) {
        return server.serve("validate-guardrails", validateGuardrails, contentType, body);
    }
}
