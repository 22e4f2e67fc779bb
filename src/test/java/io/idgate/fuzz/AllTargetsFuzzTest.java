package io.idgate.fuzz;

import static org.junit.jupiter.api.Named.named;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import com.code_intelligence.jazzer.driver.FuzzedDataProviderImpl;
import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bounded fuzzing run of {@code make test}: every target at once, in one JVM. Jazzer fuzzes one
 * target per JVM, and a JVM's start (agent, instrumentation) costs tens of seconds on a busy 2-core
 * machine, so eight of them would not fit in a test run; here the first byte of an input picks the
 * target and the rest is that target's input, and libFuzzer's coverage feedback spreads the run over
 * all of them. The seeds are every target's seeds and regression inputs, prefixed. {@code make fuzz}
 * runs each target alone, longer.
 */
@ExtendWith(FuzzRuns.class)
class AllTargetsFuzzTest {

    /** Each target: its class (for its regression inputs), its seeds, and its check. */
    private record Target(Class<?> type, Supplier<Stream<Arguments>> seeds, Consumer<byte[]> check) {}

    private static final List<Target> TARGETS = List.of(
            new Target(MutatePodsFuzzTest.class, MutatePodsFuzzTest::seeds, MutatePodsFuzzTest::check),
            new Target(ValidatePodsFuzzTest.class, ValidatePodsFuzzTest::seeds, ValidatePodsFuzzTest::check),
            new Target(ValidateNetworkPoliciesFuzzTest.class, ValidateNetworkPoliciesFuzzTest::seeds, ValidateNetworkPoliciesFuzzTest::check),
            new Target(ValidateGuardrailsFuzzTest.class, ValidateGuardrailsFuzzTest::seeds, ValidateGuardrailsFuzzTest::check),
            new Target(NetworkPolicyParityFuzzTest.class, AllTargetsFuzzTest::paritySeeds, NetworkPolicyParityFuzzTest::check),
            new Target(GuardrailParserFuzzTest.class, GuardrailParserFuzzTest::seeds, GuardrailParserFuzzTest::check),
            new Target(LabelValuesFuzzTest.class, Stream::empty, bytes -> LabelValuesFuzzTest.check(FuzzedDataProviderImpl.withJavaData(bytes))),
            new Target(SelectorsFuzzTest.class, Stream::empty, bytes -> SelectorsFuzzTest.check(FuzzedDataProviderImpl.withJavaData(bytes))));

    static Stream<Arguments> seeds() {
        List<Arguments> out = new ArrayList<>();
        for (int i = 0; i < TARGETS.size(); i++) {
            Target target = TARGETS.get(i);
            for (Arguments a : target.seeds().get().toList()) {
                Named<?> seed = (Named<?>) a.get()[0];
                out.add(prefixed(i, target.type().getSimpleName() + " " + seed.getName(), (byte[]) seed.getPayload()));
            }
            for (Path input : regressionInputs(target.type())) {
                out.add(prefixed(i, target.type().getSimpleName() + " regression " + input.getFileName(), Seeds.read(input)));
            }
        }
        return out.stream();
    }

    @MethodSource("seeds")
    @DictionaryFile(resourcePath = "admission.dict")
    @FuzzTest
    void allTargets(byte[] input) {
        FuzzRuns.count();
        if (input.length == 0) {
            return;
        }
        TARGETS.get(Byte.toUnsignedInt(input[0]) % TARGETS.size()).check().accept(Arrays.copyOfRange(input, 1, input.length));
    }

    private static Stream<Arguments> paritySeeds() {
        try {
            return NetworkPolicyParityFuzzTest.seeds();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The inputs Jazzer replays for the target alone: src/test/resources/io/idgate/fuzz/<Target>Inputs/**. */
    private static List<Path> regressionInputs(Class<?> type) {
        Path dir = Path.of("src/test/resources/io/idgate/fuzz", type.getSimpleName() + "Inputs");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Arguments prefixed(int target, String name, byte[] input) {
        byte[] out = new byte[input.length + 1];
        out[0] = (byte) target;
        System.arraycopy(input, 0, out, 1, input.length);
        return arguments(named(name, out));
    }
}
