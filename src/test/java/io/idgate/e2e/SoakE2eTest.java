package io.idgate.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.soak.Soak;
import io.idgate.soak.SoakReport;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A short soak (3 s warm-up, then 22 s at 100 reviews/s with a change every 1.5 s: about two churn cycles) so the harness of
 * {@code make soak} does not rot. Same criteria except the heap trend, which needs minutes to mean anything.
 */
@Tag("e2e")
class SoakE2eTest {

    @Test
    void idgateAgreesWithItsEngineUnderLoadAndGuardrailChurn() throws Exception {
        SoakReport report = new Soak(E2eSoakCluster.start(), new Soak.Options(22 / 60.0, 100, 3, 1.5, 2, 5, Double.NaN, 1)).run();
        report.write(Path.of("target/soak/smoke"));
        System.out.println(report.markdown());
        assertTrue(report.passed(), "soak smoke failed: " + report.failures() + "; see target/soak/smoke/results.json");
    }
}
