package io.idgate.admission;

import io.idgate.k8s.GuardrailWatcher;
import io.idgate.k8s.NetworkPolicySource;
import io.idgate.k8s.ReachSource;
import io.idgate.guardrails.GuardrailConfigMaps;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.function.Consumer;
import org.jboss.logging.Logger;

/**
 * The admission endpoints, as plain Vert.x routes. Thin: each names its handler; {@link AdmissionServer}
 * does decoding, UID copying, errors, metrics and the decision log the same way for all of them.
 *
 * <p>Why not JAX-RS: a review is bytes in, bytes out, decided from memory on the event loop; the REST
 * layer's per-request machinery (resource matching, parameter and entity providers, the response
 * filter chain) cost more than the decision itself (docs/benchmarks.md, "What made it fast"). The one
 * blocking call (a cache-miss GET) is moved off the event loop by the lookup.
 */
@ApplicationScoped
public class AdmissionRoutes {

    /** The {@code webhook} tag of each endpoint. */
    static final String[] WEBHOOKS = {"mutate-pods", "validate-pods", "validate-networkpolicies", "validate-guardrails", "validate-namespaces",
        "validate-workloads"};

    private static final Logger LOG = Logger.getLogger(AdmissionRoutes.class);

    void register(@Observes Router router, AdmissionServer server, PodMutationHandler mutatePods, PodValidationHandler validatePods,
            NetworkPolicyHandler validateNetworkPolicies, GuardrailConfigMapHandler validateGuardrails, NamespaceHandler validateNamespaces,
            WorkloadHandler validateWorkloads,
            GuardrailWatcher guardrails, NetworkPolicySource policies, ReachSource reach, GuardrailConfigMaps configMaps) {
        // Pods need the guardrails (their groups); a missing ServiceAccount is settled by the bounded GET.
        String groups = "the guardrail ConfigMaps (they define the groups of a pod's identity)";
        // Invariants judge against every pod and namespace: with any in force, those must be read too.
        java.util.function.BooleanSupplier world = () -> reach.synced() || configMaps.snapshot().invariants().isEmpty();
        route(router, server, "/mutate/pods", "mutate-pods", new RefusedUntilLoaded(mutatePods, guardrails::synced, groups));
        route(router, server, "/validate/pods", "validate-pods", new RefusedUntilLoaded(validatePods,
                () -> guardrails.synced() && world.getAsBoolean(), groups + " and, for their invariants, the pods and namespaces"));
        route(router, server, "/validate/networkpolicies", "validate-networkpolicies", new RefusedUntilLoaded(validateNetworkPolicies,
                () -> guardrails.synced() && policies.synced() && reach.synced(),
                "the guardrail ConfigMaps, the NetworkPolicies and (for reachability) the pods and namespaces"));
        route(router, server, "/validate/guardrails", "validate-guardrails", validateGuardrails);
        route(router, server, "/validate/namespaces", "validate-namespaces", new RefusedUntilLoaded(validateNamespaces,
                () -> guardrails.synced() && world.getAsBoolean(), "the guardrail ConfigMaps and, for their invariants, the pods and namespaces"));
        // which namespaces the ServiceAccount-use check covers is in the guardrails
        route(router, server, "/validate/workloads", "validate-workloads", new RefusedUntilLoaded(validateWorkloads, guardrails::synced,
                "the guardrail ConfigMaps (serviceAccountUse: says where ServiceAccount use is checked)"));
    }

    private static void route(Router router, AdmissionServer server, String path, String webhook, AdmissionHandler handler) {
        router.post(path).handler(ctx -> readBody(ctx, body -> server.serve(webhook, handler, ctx.request().getHeader(HttpHeaders.CONTENT_TYPE), body)
                .whenComplete((answer, failure) -> {
                    if (failure != null) {
                        // serve() answers every failure in-band; this is the last resort, still without internals
                        LOG.errorf(failure, "unanswered %s request", webhook);
                        answer = new AdmissionServer.Answer(500, AdmissionReviewEncoder.failure(500, "InternalError", "internal error; see idgate logs"));
                    }
                    ctx.response().setStatusCode(answer.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(answer.body()));
                })));
    }

    /**
     * Collects the body. {@link BodyLimitFilter} refuses a declared length over the limit before
     * reading; this bounds a chunked body, which declares none (counted, not kept, past the limit).
     */
    private static void readBody(RoutingContext ctx, Consumer<byte[]> then) {
        HttpServerRequest request = ctx.request();
        Buffer body = Buffer.buffer();
        long[] received = {0};
        request.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] <= AdmissionReviewDecoder.MAX_BODY_BYTES) {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(e -> LOG.debugf("admission request body not read: %s", e.getMessage()));
        request.endHandler(v -> {
            if (received[0] > AdmissionReviewDecoder.MAX_BODY_BYTES) {
                BodyLimitFilter.refuse(ctx, "body of " + received[0] + " bytes");
            } else {
                then.accept(body.getBytes());
            }
        });
        request.resume();
    }
}
