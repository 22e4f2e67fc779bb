package io.idgate.admission;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpVersion;
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
        router.route().order(AdmissionRoutes.BODY_LIMIT_ORDER).handler(ctx -> {
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
        answerAndClose(ctx, 400, AdmissionReviewEncoder.badRequest(what + " is over the limit of " + AdmissionReviewDecoder.MAX_BODY_BYTES + " bytes"));
    }

    /**
     * Answers {@code status} with a JSON body and ends the exchange without reading the request body:
     * HTTP/1.x closes the connection; HTTP/2 forbids the Connection header and ends just the stream.
     */
    static void answerAndClose(RoutingContext ctx, int status, byte[] body) {
        var response = ctx.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (ctx.request().version() != HttpVersion.HTTP_2) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        response.end(Buffer.buffer(body));
    }
}
