package io.idgate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.idgate.guardrails.Operation;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.identity.IdentityConfig;
import io.idgate.k8s.ManifestReachSource;
import io.idgate.k8s.ManifestReader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A preview whose change is too large for its budget is answered as skipped, and its walk of the
 * changed pairs stops at the deadline instead of running on behind an answer already given (a
 * default-deny over a busy namespace changes hundreds of thousands of pairs).
 */
class ReachAdmissionBudgetTest {

    private static final String DENY = """
            {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "deny", "namespace": "big"},
             "spec": {"podSelector": {}, "policyTypes": ["Ingress"]}}""";

    /** 120 pods, each its own class (its own address), in two namespaces; no policy: every pair is open. */
    private static ManifestReachSource world() {
        StringBuilder yaml = new StringBuilder();
        for (String ns : List.of("big", "other")) {
            yaml.append("apiVersion: v1\nkind: Namespace\nmetadata: {name: ").append(ns).append("}\n---\n");
            for (int i = 0; i < 60; i++) {
                yaml.append("apiVersion: v1\nkind: Pod\nmetadata: {name: p").append(i).append(", namespace: ").append(ns)
                        .append(", labels: {app: p").append(i).append("}}\nspec: {containers: [{name: c, image: x}]}\nstatus: {podIPs: [{ip: 10.")
                        .append(ns.equals("big") ? 1 : 2).append(".0.").append(i + 1).append("}]}\n---\n");
            }
        }
        return new ManifestReachSource(ManifestReader.read("world.yaml", new ByteArrayInputStream(yaml.toString().getBytes(StandardCharsets.UTF_8))));
    }

    /** The preview of the default-deny, with a clock that moves 1 ms each time it is read; how often it was read. */
    private static Object[] preview(Duration budget) throws Exception {
        AtomicLong reads = new AtomicLong();
        LiveReach live = new LiveReach(world(), IdentityConfig.DEFAULTS.keys(), UnaryOperator.identity());
        ReachAdmission reach = new ReachAdmission(live, () -> GuardrailSnapshot.EMPTY, IdentityConfig.DEFAULTS, true, budget, budget, Runnable::run,
                () -> reads.incrementAndGet() * 1_000_000L);
        NetworkPolicy deny = new KubernetesSerialization().unmarshal(DENY, NetworkPolicy.class);
        ReachAdmission.Outcome out = reach.policy(Operation.CREATE, deny, null, "big").toCompletableFuture().get();
        return new Object[] {out, reads.get()};
    }

    @Test
    void aPreviewWithinItsBudgetNamesTheClosedEdges() throws Exception {
        ReachAdmission.Outcome out = (ReachAdmission.Outcome) preview(Duration.ofSeconds(10))[0];
        assertTrue(out.preview().stream().anyMatch(l -> l.contains("big/default")), String.join("\n", out.preview()));
        assertTrue(out.preview().stream().noneMatch(l -> l.contains("skipped")), String.join("\n", out.preview()));
    }

    @Test
    void aPreviewPastItsBudgetIsSkippedAndStopsWalking() throws Exception {
        Object[] full = preview(Duration.ofSeconds(10));
        Object[] cut = preview(Duration.ofMillis(3));
        ReachAdmission.Outcome out = (ReachAdmission.Outcome) cut[0];
        assertEquals(1, out.preview().size(), String.join("\n", out.preview()));
        assertTrue(out.preview().get(0).contains("preview skipped (took longer than 3ms"), out.preview().get(0));
        // the full walk reads the clock once per 1,024 pairs (7,000 here); the cut one stops at the third read
        assertTrue((long) full[1] >= 7, "reads of the full walk: " + full[1]);
        assertEquals(4L, (long) cut[1], "start and three reads during the walk");
    }
}
