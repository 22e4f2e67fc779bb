package io.idgate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Nothing is judged before the guardrails are read: an in-band refusal naming what is missing, then the handler's own answers. */
class RefusedUntilLoadedTest {

    @Test
    void refusesWithoutAskingTheHandlerUntilLoadedThenAnswersLikeIt() throws Exception {
        AdmissionResponse judged = AdmissionResponses.allowed();
        AtomicInteger asked = new AtomicInteger();
        AtomicBoolean loaded = new AtomicBoolean(false);
        var handler = new RefusedUntilLoaded(request -> {
            asked.incrementAndGet();
            return CompletableFuture.completedFuture(judged);
        }, loaded::get, "the guardrail ConfigMaps");
        AdmissionRequest request = AdmissionReviewDecoder.decode(Files.readAllBytes(Path.of("examples/reviews/networkpolicy-by-app-label.json")));

        AdmissionResponse refused = handler.handle(request).toCompletableFuture().join();
        assertFalse(refused.allowed());
        assertEquals(503, refused.status().code());
        assertEquals("idgate has not read the guardrail ConfigMaps from the API server yet, so it cannot judge this request; "
                + "retry when idgate is ready", refused.status().message());
        assertEquals(0, asked.get(), "not judged against what is not loaded");

        loaded.set(true);
        assertSame(judged, handler.handle(request).toCompletableFuture().join());
        assertEquals(1, asked.get());
    }
}
