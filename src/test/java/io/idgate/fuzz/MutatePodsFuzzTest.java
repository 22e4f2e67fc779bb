package io.idgate.fuzz;

import static io.idgate.fuzz.AdmissionInvariants.require;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.admission.AdmissionRequest;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /mutate/pods} with any body: the invariants of {@link AdmissionInvariants}, and a patch that applies and is idempotent. */
@ExtendWith(FuzzRuns.class)
class MutatePodsFuzzTest {

    private static final FuzzWorld WORLD = new FuzzWorld();

    static Stream<Arguments> seeds() {
        return Seeds.fixtureRequests("mutate-pods", "validate-pods");
    }

    @MethodSource("seeds")
    @DictionaryFile(resourcePath = "admission.dict")
    @FuzzTest
    void mutatePods(byte[] body) {
        FuzzRuns.count();
        check(body);
    }

    static void check(byte[] body) {
        var answer = WORLD.serve("mutate-pods", WORLD.mutatePods, body);
        AdmissionRequest request = AdmissionInvariants.check(body, answer);
        JsonNode patch = request == null ? null : AdmissionInvariants.patch(answer);
        if (patch == null || patch.isEmpty()) {
            return;
        }
        // the patch applies to the pod as sent, and a second pass over the patched pod changes nothing
        // (reinvocationPolicy: IfNeeded relies on it)
        ObjectNode review = (ObjectNode) AdmissionInvariants.read(body, "request");
        ((ObjectNode) review.get("request")).set("object", AdmissionInvariants.apply(request.object(), patch));
        byte[] again = AdmissionInvariants.write(review);
        var second = WORLD.serve("mutate-pods", WORLD.mutatePods, again);
        AdmissionInvariants.check(again, second);
        require(second.status() == 200 && AdmissionInvariants.patch(second).isEmpty(),
                "a second pass over the patched pod must give no patch, got " + AdmissionInvariants.patch(second));
    }
}
