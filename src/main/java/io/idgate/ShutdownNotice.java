package io.idgate;

import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** Says in the log why a stopping idgate still answers reviews (quarkus.shutdown.delay, docs/install.md "Stopping"). */
@ApplicationScoped
class ShutdownNotice {

    private static final Logger LOG = Logger.getLogger(ShutdownNotice.class);

    void delayed(@Observes ShutdownDelayInitiatedEvent event, @ConfigProperty(name = "quarkus.shutdown.delay") Duration delay,
            @ConfigProperty(name = "quarkus.shutdown.timeout") Duration timeout) {
        if (delay.isZero()) {
            return; // fired whenever the delay is built in, also when it is set to 0s
        }
        LOG.infof("stopping: readiness is down; reviews are still answered for %ss (quarkus.shutdown.delay), then those in flight are "
                + "finished within %ss (quarkus.shutdown.timeout)", delay.toSeconds(), timeout.toSeconds());
    }
}
