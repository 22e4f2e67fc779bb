package io.idgate.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /validate/guardrails} with any body: the invariants of {@link AdmissionInvariants}. */
@ExtendWith(FuzzRuns.class)
class ValidateGuardrailsFuzzTest {

    private static final FuzzWorld WORLD = new FuzzWorld();

    static Stream<Arguments> seeds() {
        return Seeds.fixtureRequests("validate-guardrails");
    }

    @MethodSource("seeds")
    @DictionaryFile(resourcePath = "admission.dict")
    @FuzzTest
    void validateGuardrails(byte[] body) {
        FuzzRuns.count();
        check(body);
    }

    static void check(byte[] body) {
        AdmissionInvariants.check(body, WORLD.serve("validate-guardrails", WORLD.validateGuardrails, body));
    }
}
