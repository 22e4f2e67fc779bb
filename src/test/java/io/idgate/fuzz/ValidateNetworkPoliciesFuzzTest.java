package io.idgate.fuzz;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /validate/networkpolicies} with any body: the invariants of {@link AdmissionInvariants}. */
@ExtendWith(FuzzRuns.class)
class ValidateNetworkPoliciesFuzzTest {

    private static final FuzzWorld WORLD = new FuzzWorld();

    static Stream<Arguments> seeds() {
        return Stream.concat(Seeds.fixtureRequests("validate-networkpolicies"), Seeds.recipeReviews());
    }

    @MethodSource("seeds")
    @DictionaryFile(resourcePath = "admission.dict")
    @FuzzTest
    void validateNetworkPolicies(byte[] body) {
        FuzzRuns.count();
        check(body);
    }

    static void check(byte[] body) {
        AdmissionInvariants.check(body, WORLD.serve("validate-networkpolicies", WORLD.validateNetworkPolicies, body));
    }
}
