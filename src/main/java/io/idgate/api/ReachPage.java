package io.idgate.api;

import io.idgate.render.reach.ReachHtml;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The page, {@code /ui/}: a static shell (META-INF/resources/ui) that holds no data. It asks for a
 * bearer token, keeps it in the tab's sessionStorage, and draws what {@code /api/v1/reach} answers to
 * that token, so the page shows exactly what the API's viewer role may see and nothing without it.
 *
 * <p>Here only the headers of the shell. Its Content-Security-Policy lets it fetch from idgate alone and
 * run no inline code but the renderer's own: the graph and the what-if are {@code idgate reach -o html}
 * documents shown in sandboxed {@code srcdoc} frames, which inherit this policy, so their inline style
 * and script are allowed by hash ({@link ReachHtml#inlineScriptSource()}) and nothing else is.
 */
@ApplicationScoped
public class ReachPage {

    static final String PATH = "/ui/";

    static String contentSecurityPolicy() {
        return "default-src 'none'; script-src 'self' " + ReachHtml.inlineScriptSource() + "; style-src 'self' "
                + ReachHtml.inlineStyleSource() + "; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
                + "frame-ancestors 'none'";
    }

    void register(@Observes Router router) {
        String csp = contentSecurityPolicy();
        // Vert.x matches "/ui" for "/ui/" too: redirect only the bare name, to where relative links work
        router.get("/ui").handler(ctx -> {
            if ("/ui".equals(ctx.request().path())) {
                ctx.redirect(PATH);
            } else {
                ctx.next();
            }
        });
        // before the static-resource handler, which then writes the file with these headers
        router.route(PATH + "*").order(-100).handler(ctx -> {
            ctx.response().putHeader("Content-Security-Policy", csp)
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("Cache-Control", "no-store");
            ctx.next();
        });
    }
}
