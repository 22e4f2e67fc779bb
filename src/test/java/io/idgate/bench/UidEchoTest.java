package io.idgate.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import io.idgate.admission.AdmissionResponses;
import io.idgate.admission.AdmissionReviewEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The echo webhook's answer: idgate's recorded bytes, with the uid of the review it answers. */
class UidEchoTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What idgate answers (its own encoder) to a review of uid {@code recorded}: a patch and a warning. */
    private static byte[] idgateAnswer() throws Exception {
        ArrayNode patch = (ArrayNode) JSON.readTree("[{\"op\":\"add\",\"path\":\"/metadata/labels/idgate.io~1service-account\",\"value\":\"web\"}]");
        return AdmissionReviewEncoder.encode("recorded", AdmissionResponses.patched(patch, List.of("a warning")));
    }

    @Test
    void answersAReviewWithItsUidAndOtherwiseTheRecordedBytes() throws Exception {
        // a fixture review as a person writes it: pretty-printed, `"uid": "…"`
        byte[] review = Files.readAllBytes(Path.of("src/test/resources/fixtures/mutate-pods/plain-pod-gets-namespace-service-account-and-spiffe-id-labels/request.json"));
        String uid = JSON.readTree(review).path("request").path("uid").asText();

        byte[] answer = UidEcho.of(idgateAnswer()).answer(review);

        assertArrayEquals(new String(idgateAnswer(), StandardCharsets.UTF_8).replace("\"recorded\"", "\"" + uid + "\"").getBytes(StandardCharsets.UTF_8), answer);
        // and it reads as an AdmissionReview answer by the Kubernetes types: the API server checks the uid, takes the patch
        AdmissionReview read = JSON.readValue(answer, AdmissionReview.class);
        assertEquals("admission.k8s.io/v1", read.getApiVersion());
        assertEquals("AdmissionReview", read.getKind());
        assertEquals(uid, read.getResponse().getUid());
        assertTrue(read.getResponse().getAllowed());
        assertEquals("JSONPatch", read.getResponse().getPatchType());
        assertEquals(JSON.readTree(idgateAnswer()).path("response").path("patch"), JSON.readTree(answer).path("response").path("patch"));
        assertEquals(List.of("a warning"), read.getResponse().getWarnings());
    }

    @Test
    void takesTheRequestsUidNotTheUidOfTheUserWhoSentIt() throws Exception {
        // as the API server writes it: compact, request.uid first, then userInfo with a uid of its own
        byte[] review = Files.readAllBytes(Path.of("bench/reviews/mutate-pod.json"));
        JsonNode request = JSON.readTree(review).path("request");
        assertNotEquals(request.path("uid"), request.path("userInfo").path("uid"));

        JsonNode answer = JSON.readTree(UidEcho.of(idgateAnswer()).answer(review));

        assertEquals(request.path("uid").asText(), answer.path("response").path("uid").asText());
    }

    @Test
    void aReviewWithoutARequestUidGetsNoAnswer() throws Exception {
        UidEcho echo = UidEcho.of(idgateAnswer());

        assertNull(echo.answer("{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"operation\":\"CREATE\"}}".getBytes(StandardCharsets.UTF_8)));
        assertNull(echo.answer("{\"request\":{\"uid\":\"unterminated".getBytes(StandardCharsets.UTF_8)));
        assertNull(echo.answer(new byte[0]));
    }

    @Test
    void aRecordedAnswerWithoutAResponseUidIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> UidEcho.of("{\"kind\":\"Status\",\"code\":400}".getBytes(StandardCharsets.UTF_8)));
    }
}
