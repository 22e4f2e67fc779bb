package io.idgate.admission;

import io.idgate.k8s.InvalidObject;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * What every admission endpoint does around its handler, at the server boundary: content type and
 * decoding (HTTP 400 for anything that is not an AdmissionReview v1), the UID copied into every
 * answer, a bug turned into an in-band refusal that names the request (stack trace to the log only),
 * metrics, and one log line per decision.
 */
public final class AdmissionServer {

    /** What goes back on the wire: the HTTP status and a JSON body (an AdmissionReview, or a Status for a 400). */
    public record Answer(int status, byte[] body) {}

    private static final String JSON = "application/json";

    private static final Logger LOG = Logger.getLogger(AdmissionServer.class);

    private final AdmissionMetrics metrics;
    private final DecisionLog decisions;

    /** Decisions logged through the logging system. */
    public AdmissionServer(AdmissionMetrics metrics) {
        this(metrics, DecisionLog.THROUGH_LOGGING);
    }

    public AdmissionServer(AdmissionMetrics metrics, DecisionLog decisions) {
        this.metrics = metrics;
        this.decisions = decisions;
    }

    public CompletionStage<Answer> serve(String webhook, AdmissionHandler handler, String contentType, byte[] body) {
        return serve(webhook, handler, contentType, body, false);
    }

    /** @param quiet a warm-up review ({@link Warmup}): answered alike, but neither counted nor logged as a decision */
    public CompletionStage<Answer> serve(String webhook, AdmissionHandler handler, String contentType, byte[] body, boolean quiet) {
        long start = System.nanoTime();
        AdmissionRequest request;
        CompletionStage<AdmissionResponse> answer;
        try {
            requireJson(contentType);
            request = AdmissionReviewDecoder.decode(body, handler.objectFields());
            answer = handler.handle(request);
        } catch (InvalidObject e) { // a BadAdmissionReview, or an object the engine cannot judge
            return CompletableFuture.completedFuture(badRequest(webhook, e.getMessage(), start, null, quiet));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(badRequest(webhook, "request could not be read", start, e, quiet));
        }
        return answer.handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
                if (cause instanceof InvalidObject bad) {
                    return badRequest(webhook, bad.getMessage(), start, null, quiet);
                }
                LOG.errorf(cause, "internal error answering %s request %s", webhook, request.uid());
                response = AdmissionResponses.errored(500, "internal error (request " + request.uid() + "); see idgate logs");
            }
            long nanos = System.nanoTime() - start;
            if (!quiet) {
                metrics.request(webhook, request.operation().name(), response.decision(), nanos);
                logDecision(webhook, request, response, nanos);
            }
            return new Answer(200, AdmissionReviewEncoder.encode(request.uid(), response));
        });
    }

    private static void requireJson(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith(JSON)) {
            throw new BadAdmissionReview("Content-Type is " + (contentType == null ? "missing" : "\"" + contentType + "\"")
                    + "; send the AdmissionReview as application/json");
        }
    }

    private Answer badRequest(String webhook, String message, long start, Throwable cause, boolean quiet) {
        if (cause != null) {
            LOG.errorf(cause, "unexpected failure reading a %s request", webhook);
        } else {
            LOG.debugf("bad %s request: %s", webhook, message);
        }
        if (!quiet) {
            metrics.request(webhook, "unknown", "bad-request", System.nanoTime() - start);
        }
        return new Answer(400, AdmissionReviewEncoder.badRequest(message));
    }

    private void logDecision(String webhook, AdmissionRequest request, AdmissionResponse response, long nanos) {
        if (!decisions.enabled()) {
            return;
        }
        // concatenated, not infof: java.util.Formatter was half the cost of this line under load (JFR)
        long micros = nanos / 1000;
        String fraction = Long.toString(1000 + micros % 1000).substring(1);
        decisions.write("webhook=" + webhook + " uid=" + request.uid() + " kind=" + request.kind().kind() + " namespace=" + request.namespace()
                + " name=" + request.displayName() + " operation=" + request.operation() + " user=" + request.user()
                + " decision=" + response.decision() + " durationMs=" + micros / 1000 + "." + fraction + (request.dryRun() ? " dryRun=true" : ""));
    }
}
