package io.idgate.admission;

import io.idgate.config.IdgateConfig;
import io.idgate.tls.ClientCertificates;
import io.idgate.tls.ServerTls;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.jboss.logging.Logger;

/**
 * With {@code idgate.tls.client-ca} set, answers only callers that presented an accepted client
 * certificate on the admission paths, before a byte of the body is read. The TLS layer has already
 * verified any certificate it received; this adds "one was sent" and the name check.
 */
@ApplicationScoped
public class ClientCertificateFilter {

    private static final Logger LOG = Logger.getLogger(ClientCertificateFilter.class);

    void register(@Observes Router router, ServerTls serverTls, IdgateConfig config) {
        if (!serverTls.requiresClientCertificates()) {
            return;
        }
        ClientCertificates policy = new ClientCertificates(config.tls().clientNames());
        router.route().order(AdmissionRoutes.CLIENT_CERTIFICATE_ORDER).handler(ctx -> {
            String path = ctx.request().path();
            if (!path.startsWith("/mutate/") && !path.startsWith("/validate/")) {
                ctx.next();
                return;
            }
            var refusal = policy.check(peerChain(ctx));
            if (refusal.isEmpty()) {
                ctx.next();
                return;
            }
            LOG.warnf("refused %s from %s: %s", path, ctx.request().remoteAddress(), refusal.get().message());
            BodyLimitFilter.answerAndClose(ctx, refusal.get().status(),
                    AdmissionReviewEncoder.failure(refusal.get().status(), refusal.get().reason(), refusal.get().message()));
        });
    }

    private static List<X509Certificate> peerChain(RoutingContext ctx) {
        SSLSession session = ctx.request().sslSession();
        List<X509Certificate> chain = new ArrayList<>();
        if (session == null) {
            return chain; // plain HTTP carries no certificate
        }
        try {
            for (Certificate cert : session.getPeerCertificates()) {
                if (cert instanceof X509Certificate x509) {
                    chain.add(x509);
                }
            }
        } catch (SSLPeerUnverifiedException e) {
            // the client sent no certificate
        }
        return chain;
    }
}
