package io.idgate.admission;

import io.idgate.k8s.GuardrailWatcher;
import io.idgate.k8s.NetworkPolicySource;
import io.idgate.k8s.ReachSource;
import io.idgate.config.IdgateConfig;
import io.idgate.engine.NetworkPolicyJudge;
import io.idgate.engine.PodIdentityResolver;
import io.idgate.engine.PodMutationPreview;
import io.idgate.engine.ReachAdmission;
import io.idgate.identity.IdentityDeriver;
import java.util.Map;
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
            GuardrailWatcher guardrails, NetworkPolicySource policies, ReachSource reach, GuardrailConfigMaps configMaps,
            ReviewMemoryBudget budget, AdmissionMetrics metrics, IdgateConfig config, Warmup warmup, IdentityDeriver deriver,
            NetworkPolicyJudge judge, ReachAdmission reachAdmission) {
        Memory memory = new Memory(budget, metrics, config.admission().memoryBudgetWait().toMillis());
        // what warm-up reviews (Warmup) are answered by: the same code, a fixed ServiceAccount, no meters
        AdmissionHandler warmPods = new PodMutationHandler(new PodMutationPreview(new PodIdentityResolver(Warmup.LOOKUP, deriver,
                IdgateConfig.OnMissing.DENY, configMaps::snapshot, source -> {})));
        AdmissionHandler warmPolicies = new NetworkPolicyHandler(judge, violation -> {},
                config.reach().preview() || config.reach().invariants() ? reachAdmission : null);
        Warm warm = new Warm(warmup, Map.of("mutate-pods", warmPods, "validate-networkpolicies", warmPolicies));
        // Pods need the guardrails (their groups); a missing ServiceAccount is settled by the bounded GET.
        String groups = "the guardrail ConfigMaps (they define the groups of a pod's identity)";
        // Invariants judge against every pod and namespace: with any in force, those must be read too.
        java.util.function.BooleanSupplier world = () -> reach.synced() || configMaps.snapshot().invariants().isEmpty();
        route(router, memory, warm, server, "/mutate/pods", "mutate-pods", new RefusedUntilLoaded(mutatePods, guardrails::synced, groups));
        route(router, memory, warm, server, "/validate/pods", "validate-pods", new RefusedUntilLoaded(validatePods,
                () -> guardrails.synced() && world.getAsBoolean(), groups + " and, for their invariants, the pods and namespaces"));
        route(router, memory, warm, server, "/validate/networkpolicies", "validate-networkpolicies", new RefusedUntilLoaded(validateNetworkPolicies,
                () -> guardrails.synced() && policies.synced() && reach.synced(),
                "the guardrail ConfigMaps, the NetworkPolicies and (for reachability) the pods and namespaces"));
        route(router, memory, warm, server, "/validate/guardrails", "validate-guardrails", validateGuardrails);
        route(router, memory, warm, server, "/validate/namespaces", "validate-namespaces", new RefusedUntilLoaded(validateNamespaces,
                () -> guardrails.synced() && world.getAsBoolean(), "the guardrail ConfigMaps and, for their invariants, the pods and namespaces"));
        // which namespaces the ServiceAccount-use check covers is in the guardrails
        route(router, memory, warm, server, "/validate/workloads", "validate-workloads", new RefusedUntilLoaded(validateWorkloads, guardrails::synced,
                "the guardrail ConfigMaps (serviceAccountUse: says where ServiceAccount use is checked)"));
    }

    /** The memory budget, its meters and how long a review may wait for room. */
    private record Memory(ReviewMemoryBudget budget, AdmissionMetrics metrics, long waitMillis) {}

    /** The warm-up's token and the handlers its reviews are answered by, per webhook. */
    private record Warm(Warmup warmup, Map<String, AdmissionHandler> handlers) {
        /** The handler of a warm-up review from this process, or null for any other review. */
        AdmissionHandler handler(RoutingContext ctx, String webhook) {
            AdmissionHandler handler = handlers.get(webhook);
            return handler != null && warmup.isWarmup(ctx.request().getHeader(Warmup.HEADER)) ? handler : null;
        }
    }

    /**
     * Where the admission paths are handled in the router (lower runs first): idgate's client-certificate
     * filter, its body limit, then the admission routes, all before Quarkus's own filters (CORS at -300,
     * authentication at -200, authorization at -100) and its REST handler. Reviews carry no bearer token
     * and match no REST resource, and passing through those handlers took a tenth of a review's CPU
     * (docs/benchmarks.md, "Where a review's CPU goes"). Every other path passes the two filters and goes
     * on as before.
     */
    static final int CLIENT_CERTIFICATE_ORDER = -420;
    static final int BODY_LIMIT_ORDER = -410;
    static final int ORDER = -400;

    private static void route(Router router, Memory memory, Warm warm, AdmissionServer server, String path, String webhook, AdmissionHandler handler) {
        router.post(path).order(ORDER).handler(ctx -> withMemory(ctx, memory, webhook, length -> readBody(ctx, length, body -> serve(ctx, warm, server, webhook, handler, body)
                .whenComplete((answer, failure) -> {
                    if (failure != null) {
                        // serve() answers every failure in-band; this is the last resort, still without internals
                        LOG.errorf(failure, "unanswered %s request", webhook);
                        answer = new AdmissionServer.Answer(500, AdmissionReviewEncoder.failure(500, "InternalError", "internal error; see idgate logs"));
                    }
                    ctx.response().setStatusCode(answer.status()).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(Buffer.buffer(answer.body()));
                }))));
    }

    private static java.util.concurrent.CompletionStage<AdmissionServer.Answer> serve(RoutingContext ctx, Warm warm, AdmissionServer server, String webhook,
            AdmissionHandler handler, byte[] body) {
        AdmissionHandler warmup = warm.handler(ctx, webhook);
        return server.serve(webhook, warmup != null ? warmup : handler, ctx.request().getHeader(HttpHeaders.CONTENT_TYPE), body, warmup != null);
    }

    /**
     * Runs {@code read} (given the declared body length, -1 if none) once the review's charge is taken
     * from the memory budget; it is given back when the exchange ends, however it ends. A review that
     * does not fit waits with its body unread; one still waiting after the wait is answered 429.
     */
    private static void withMemory(RoutingContext ctx, Memory memory, String webhook, java.util.function.LongConsumer read) {
        long length = declaredLength(ctx.request());
        long cost = memory.budget().cost(length);
        if (memory.budget().tryTake(cost)) {
            charged(ctx, memory.budget(), cost);
            read.accept(length);
            return;
        }
        memory.metrics().memoryBudget(webhook, "queued");
        io.vertx.core.Context context = ctx.vertx().getOrCreateContext();
        long[] timer = {-1};
        Object waiter = memory.budget().await(cost, task -> context.runOnContext(v -> task.run()), granted -> {
            if (granted) {
                ctx.vertx().cancelTimer(timer[0]);
                charged(ctx, memory.budget(), cost);
                read.accept(length);
            } else {
                memory.metrics().memoryBudget(webhook, "refused");
                refuseForMemory(ctx, memory);
            }
        });
        timer[0] = ctx.vertx().setTimer(Math.max(1, memory.waitMillis()), t -> memory.budget().abandon(waiter));
    }

    /** Gives {@code cost} back once the response has been written, or the connection or stream ended first (Vert.x calls end handlers once). */
    private static void charged(RoutingContext ctx, ReviewMemoryBudget budget, long cost) {
        ctx.addEndHandler(result -> budget.give(cost));
    }

    /**
     * HTTP 429 with Retry-After, as a Status: the body is read and dropped (never kept), so the
     * connection stays usable and the caller reads the answer instead of a reset. Not in-band: without
     * the body there is no uid to answer, and an HTTP error lets the webhook's failurePolicy decide.
     */
    private static void refuseForMemory(RoutingContext ctx, Memory memory) {
        if (ctx.response().closed() || ctx.response().ended()) {
            return;
        }
        HttpServerRequest request = ctx.request();
        request.handler(chunk -> {});
        request.exceptionHandler(e -> LOG.debugf("admission request body not read: %s", e.getMessage()));
        request.endHandler(v -> ctx.response().setStatusCode(429).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Retry-After", "1")
                .end(Buffer.buffer(AdmissionReviewEncoder.failure(429, "TooManyRequests", "idgate is reading as many large reviews as its "
                        + "memory budget allows (idgate.admission.memory-budget); this one waited " + memory.waitMillis() + " ms; retry"))));
        request.resume();
    }

    private static long declaredLength(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length == null) {
            return -1;
        }
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Collects the body. {@link BodyLimitFilter} refuses a declared length over the limit before
     * reading; this bounds a chunked body, which declares none (counted, not kept, past the limit).
     */
    private static void readBody(RoutingContext ctx, long declaredLength, Consumer<byte[]> then) {
        HttpServerRequest request = ctx.request();
        Body body = new Body(declaredLength);
        request.handler(body::append);
        request.exceptionHandler(e -> LOG.debugf("admission request body not read: %s", e.getMessage()));
        request.endHandler(v -> {
            if (body.received > AdmissionReviewDecoder.MAX_BODY_BYTES) {
                BodyLimitFilter.refuse(ctx, "body of " + body.received + " bytes");
            } else {
                then.accept(body.bytes());
            }
        });
        request.resume();
    }

    /**
     * The body, copied once into an array of its declared length (growing, Vert.x's buffer held it up
     * to three times over: the buffer, its doubled capacity and the final copy).
     */
    private static final class Body {
        private byte[] bytes;
        private int size;
        long received;

        Body(long declaredLength) {
            bytes = new byte[declaredLength > 0 && declaredLength <= AdmissionReviewDecoder.MAX_BODY_BYTES ? (int) declaredLength : 8192];
        }

        void append(Buffer chunk) {
            received += chunk.length();
            if (received > AdmissionReviewDecoder.MAX_BODY_BYTES) {
                return; // counted, not kept
            }
            if (size + chunk.length() > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, (int) Math.min(AdmissionReviewDecoder.MAX_BODY_BYTES, Math.max(received, 2L * bytes.length)));
            }
            chunk.getBytes(0, chunk.length(), bytes, size);
            size += chunk.length();
        }

        byte[] bytes() {
            return size == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, size);
        }
    }
}
