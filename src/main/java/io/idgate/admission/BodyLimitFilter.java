package io.idgate.admission;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses an oversized review from its Content-Length, before reading it, with the same 400 body as
 * every other unusable review. (Bodies without a length are bounded by
 * {@code quarkus.http.limits.max-body-size} and by {@link AdmissionReviewDecoder#MAX_BODY_BYTES}.)
 */
@ApplicationScoped
public class BodyLimitFilter {

    void register(@Observes Router router) {
        router.route().order(-100).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            String path = ctx.request().path();
            if (length != null && (path.startsWith("/mutate/") || path.startsWith("/validate/"))) {
                long bytes;
                try {
                    bytes = Long.parseLong(length.trim());
                } catch (NumberFormatException e) {
                    bytes = -1;
                }
                if (bytes > AdmissionReviewDecoder.MAX_BODY_BYTES) {
                    ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                            .putHeader(HttpHeaders.CONNECTION, "close")
                            .end(io.vertx.core.buffer.Buffer.buffer(AdmissionReviewEncoder.badRequest("body of " + bytes
                                    + " bytes is over the limit of " + AdmissionReviewDecoder.MAX_BODY_BYTES + " bytes")));
                    return;
                }
            }
            ctx.next();
        });
    }
}
