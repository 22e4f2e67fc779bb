package io.idgate.admission;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
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
                    refuse(ctx, "body of " + bytes + " bytes");
                    return;
                }
            }
            ctx.next();
        });
    }

    /** Answers 400 naming the limit ({@code what} is over it) and closes the connection rather than read more. */
    static void refuse(RoutingContext ctx, String what) {
        ctx.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Buffer.buffer(AdmissionReviewEncoder.badRequest(what + " is over the limit of " + AdmissionReviewDecoder.MAX_BODY_BYTES + " bytes")));
    }
}
