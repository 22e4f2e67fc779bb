package io.idgate.admission;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.*;

/**
 * Time to decode a pod review whose pod has 1, 4 and 16 containers of a typical size (a dozen
 * variables, resources, mounts, a probe), as the whole tree and for the pod's identity only
 * ({@link ObjectFields#POD_IDENTITY}): {@code java -cp target/test-classes:target/classes:<test class path>
 * io.idgate.admission.DecodeTimings} (docs/benchmarks.md, "Where a review's CPU goes"). Not a test.
 */
public final class DecodeTimings {

    private DecodeTimings() {}

    public static void main(String[] a) throws Exception {
        ObjectMapper m = new ObjectMapper();
        for (int containers : new int[] {1, 4, 16}) {
            ObjectNode review = (ObjectNode) m.readTree(Files.readAllBytes(Path.of("examples/reviews/mutate-pod.json")));
            ObjectNode spec = (ObjectNode) review.at("/request/object/spec");
            ArrayNode cs = spec.putArray("containers");
            for (int c = 0; c < containers; c++) {
                ObjectNode ct = cs.addObject().put("name", "c" + c).put("image", "registry.example.com/team/app:1.2.3-abcdef");
                ArrayNode env = ct.putArray("env");
                for (int e = 0; e < 12; e++) env.addObject().put("name", "ENV_VARIABLE_" + e).put("value", "some-value-of-moderate-length-" + e);
                ct.putObject("resources").putObject("limits").put("cpu", "500m").put("memory", "256Mi");
                ArrayNode mounts = ct.putArray("volumeMounts");
                for (int v = 0; v < 4; v++) mounts.addObject().put("name", "vol" + v).put("mountPath", "/var/run/secrets/thing" + v).put("readOnly", true);
                ct.putObject("readinessProbe").putObject("httpGet").put("path", "/healthz").put("port", 8080);
            }
            byte[] body = m.writeValueAsBytes(review);
            for (int round = 0; round < 3; round++) {
                long[] t = new long[2];
                for (int k = 0; k < 2; k++) {
                    var f = k == 0 ? ObjectFields.ALL : ObjectFields.POD_IDENTITY;
                    int n = 20000;
                    long t0 = System.nanoTime();
                    for (int i = 0; i < n; i++) AdmissionReviewDecoder.decode(body, f);
                    t[k] = (System.nanoTime() - t0) / n;
                }
                if (round == 2) System.out.printf("%d containers, %d bytes: whole %.1f us, identity fields %.1f us%n", containers, body.length, t[0] / 1e3, t[1] / 1e3);
            }
        }
    }
}
