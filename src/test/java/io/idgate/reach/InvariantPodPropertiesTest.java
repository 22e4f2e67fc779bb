package io.idgate.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.idgate.guardrails.GuardrailParser;
import io.idgate.guardrails.InvariantCheck;
import io.idgate.guardrails.ParseResult;
import io.idgate.identity.IdentityConfig;
import io.idgate.netpol.Connections;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The invariants on a pod CREATE ({@link InvariantCheck#forPeer}: the pod judged against the world
 * before it, only the nodes its own rules admit looked at) find exactly what judging every edge of the
 * pod in the world with it finds, on random worlds, for invariants in both directions and a pod
 * inside and outside the protected identities.
 */
class InvariantPodPropertiesTest {

    static LongStream seeds() {
        return LongStream.range(0, 150);
    }

    private static final List<String> INVARIANTS = List.of(
            "{name: in, to: 'namespace:shop', onlyFrom: ['namespace:ops']}",
            "{name: out, from: 'namespace:shop', onlyTo: ['namespace:kube-system', 'cidr:10.0.0.0/24']}",
            "{name: closed, to: 'namespace:ops', onlyFrom: []}");

    private static InvariantCheck check(String invariant) {
        var parsed = (ParseResult.Parsed) GuardrailParser.parse("idgate-system", "g", "i.yaml", "invariants:\n  - " + invariant + "\n");
        return new InvariantCheck(parsed.document().invariants(), IdentityConfig.DEFAULTS);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aPodJudgedBeforeItJoinsBreaksWhatItsEdgesInTheWorldWithItBreak(long seed) {
        PropertiesTest.Input in = PropertiesTest.input(seed);
        List<ReachPeer> peers = in.world().peers();
        for (String invariant : INVARIANTS) {
            InvariantCheck check = check(invariant);
            for (ReachPeer pod : peers) {
                List<ReachPeer> others = peers.stream().filter(p -> p != pod).toList();
                World without = new World(in.world().namespaces(), others, in.world().policies(), in.world().groups(), in.world().warnings());
                var subject = InvariantCheck.Subject.at("metadata.labels");
                var byPod = check.forPeer(Reachability.of(without, Worlds.KEYS), pod, null, subject);
                List<ReachDiff.Change> edges = new ArrayList<>();
                List<String> names = new ArrayList<>();
                others.forEach(p -> names.add(p.id()));
                in.reach().externals().forEach(e -> names.add(e.id()));
                for (String q : names) {
                    Connections into = in.reach().connections(q, pod.id());
                    Connections out = in.reach().connections(pod.id(), q);
                    if (!into.isEmpty()) {
                        edges.add(new ReachDiff.Change(q, pod.id(), null, into, false));
                    }
                    if (!out.isEmpty()) {
                        edges.add(new ReachDiff.Change(pod.id(), q, null, out, false));
                    }
                }
                var byWorld = check.opened(new ReachDiff(edges), in.reach(), subject);
                assertEquals(byWorld, byPod, "seed " + seed + ", " + invariant + ", pod " + pod.id());
            }
        }
    }
}
