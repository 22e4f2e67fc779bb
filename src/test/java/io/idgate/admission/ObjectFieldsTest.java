package io.idgate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.engine.PodFields;
import io.idgate.identity.KeyChange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A pod review read for the pod's identity only ({@link ObjectFields#POD_IDENTITY}) tells the same as
 * the whole tree: the same refusal for a bad body, and for a good one the same request and the same
 * pod fields the webhook reads. Over every pod fixture and thousands of damaged copies of them
 * (bytes changed, cut short, invalid UTF-8, duplicate keys and deep nesting in fields idgate does not read).
 */
class ObjectFieldsTest {

    private static final Path FIXTURES = Path.of("src/test/resources/fixtures");

    @Test
    void aPodReviewReadForItsIdentityTellsWhatTheWholeTreeTells() {
        List<byte[]> bodies = new ArrayList<>();
        for (String suite : List.of("mutate-pods", "validate-pods")) {
            try (Stream<Path> cases = Files.list(FIXTURES.resolve(suite))) {
                cases.map(c -> c.resolve("request.json")).filter(Files::exists).sorted().forEach(f -> bodies.add(read(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        bodies.add(read(Path.of("examples/reviews/mutate-pod.json")));
        Random random = new Random(5);
        int compared = 0;
        for (byte[] body : bodies) {
            assertSame(body);
            for (int i = 0; i < 60; i++) {
                assertSame(damaged(body, random));
                compared++;
            }
        }
        System.out.printf("%d pod reviews and %d damaged copies read both ways alike%n", bodies.size(), compared);
    }

    private static void assertSame(byte[] body) {
        assertEquals(outcome(body, ObjectFields.ALL), outcome(body, ObjectFields.POD_IDENTITY), () -> new String(body, StandardCharsets.UTF_8));
    }

    /** The refusal, or what the pod webhooks read of the request and its objects. */
    private static String outcome(byte[] body, com.fasterxml.jackson.core.filter.TokenFilter fields) {
        AdmissionRequest r;
        try {
            r = AdmissionReviewDecoder.decode(body, fields);
        } catch (BadAdmissionReview e) {
            return "refused: " + e.getMessage();
        }
        return String.join("\n", r.uid(), String.valueOf(r.kind()), String.valueOf(r.resource()), String.valueOf(r.subResource()), r.namespace(),
                String.valueOf(r.name()), String.valueOf(r.operation()), String.valueOf(r.requester()), String.valueOf(r.dryRun()), r.displayName(),
                pod(r.object()), pod(r.oldObject()));
    }

    private static String pod(ObjectNode pod) {
        if (pod == null) {
            return "none";
        }
        StringBuilder s = new StringBuilder();
        try {
            PodFields.validate(pod, "object");
            s.append(PodFields.labels(pod)).append(' ').append(PodFields.annotations(pod)).append(' ').append(PodFields.serviceAccountName(pod));
        } catch (RuntimeException e) {
            s.append("invalid: ").append(e.getMessage());
        }
        s.append(" kind=").append(pod.path("kind")).append(" metadata=").append(pod.path("metadata").getNodeType())
                .append(" spec=").append(pod.path("spec").getNodeType());
        // the patch sees which maps exist
        byte[] patch = JsonPatches.forKeyChanges(pod, List.of(new KeyChange(KeyChange.Section.LABELS, "idgate.io/x", null, "v"),
                new KeyChange(KeyChange.Section.ANNOTATIONS, "idgate.io/x", null, "v")));
        return s.append(" patch=").append(patch == null ? "none" : new String(patch, StandardCharsets.UTF_8)).toString();
    }

    /** One damage: a byte changed, the body cut short, or something inserted into the pod's containers (a field idgate does not read). */
    private static byte[] damaged(byte[] body, Random random) {
        String text = new String(body, StandardCharsets.ISO_8859_1); // byte for byte
        int containers = text.indexOf("\"containers\"");
        int at = containers >= 0 && random.nextBoolean() ? text.indexOf('{', containers) + 1 : random.nextInt(text.length());
        if (at <= 0) {
            at = random.nextInt(text.length());
        }
        String insert = switch (random.nextInt(7)) {
            case 0 -> "\"image\":\"a\",\"image\":\"b\","; // a duplicate key
            case 1 -> "\"x\":" + "[".repeat(101) + "]".repeat(101) + ","; // nested too deep
            case 2 -> "\"x\":\"\u00ff\u00fe\","; // bytes that are not UTF-8
            case 3 -> "\"x\":\"\u00c3\u00a9\","; // é in UTF-8: fine
            case 4 -> "\"x\":1" + "0".repeat(1001) + ","; // a number too long
            case 5 -> null; // cut short
            default -> ""; // a byte changed
        };
        String out;
        if (insert == null) {
            out = text.substring(0, at);
        } else if (insert.isEmpty()) {
            char[] c = text.toCharArray();
            c[at] = (char) random.nextInt(256);
            out = new String(c);
        } else {
            out = text.substring(0, at) + insert + text.substring(at);
        }
        return out.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
