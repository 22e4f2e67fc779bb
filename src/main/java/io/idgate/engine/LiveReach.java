package io.idgate.engine;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.identity.IdentityKeys;
import io.idgate.k8s.ReachSource;
import io.idgate.netpol.NetworkPolicyProblems;
import io.idgate.netpol.PolicyRules;
import io.idgate.reach.Reachability;
import io.idgate.reach.World;
import io.idgate.reach.WorldBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The reachability of the world as it is now, for the admission preview.
 *
 * <p>Staleness: every pod, namespace or policy change reach can see moves {@link ReachSource#version()};
 * {@link #current()} compares it with the version its state was built from and, when they differ,
 * rebuilds the whole world (the simplest correct choice: a pod event can change classes, external
 * cuts and every row, so patching is left to later). Rebuilding is lazy, so a quiet cluster builds
 * nothing, and a busy one builds at most once per preview. One rebuild at a time; previews racing
 * it wait for it rather than build their own.
 */
public final class LiveReach {

    private record State(long version, Reachability reach) {}

    private final ReachSource source;
    private final IdentityKeys keys;
    private final UnaryOperator<World> stamp;
    private volatile State state;

    /** A cluster's world: its pods carry the identity labels idgate's webhook stamped. */
    public LiveReach(ReachSource source, IdentityKeys keys) {
        this(source, keys, UnaryOperator.identity());
    }

    /**
     * @param stamp labels each peer as the webhook would (manifests: nobody stamped them; see
     *              {@link ReachWorlds#stamped})
     */
    public LiveReach(ReachSource source, IdentityKeys keys, UnaryOperator<World> stamp) {
        this.source = source;
        this.keys = keys;
        this.stamp = stamp;
    }

    public IdentityKeys keys() {
        return keys;
    }

    /** The reachability of the current world; rebuilt first when something changed since the last build. */
    public Reachability current() {
        State s = state;
        if (s != null && s.version() == source.version()) {
            return s.reach();
        }
        synchronized (this) {
            s = state;
            long version = source.version(); // read before building: a change during the build makes the next call rebuild
            if (s == null || s.version() != version) {
                s = new State(version, Reachability.of(world(), keys));
                state = s;
            }
            return s.reach();
        }
    }

    public boolean synced() {
        return source.synced();
    }

    private World world() {
        WorldBuilder builder = new WorldBuilder();
        source.podsAndNamespaces().forEach(o -> builder.add("cluster", o));
        List<PolicyRules> policies = new ArrayList<>();
        for (NetworkPolicy np : source.networkPolicies()) {
            // stored policies passed the API server's validation; one that still does not read is left out, not fatal
            if (NetworkPolicyProblems.of(np).isEmpty()) {
                policies.add(PolicyRules.of(np));
            }
        }
        return stamp.apply(builder.build().withPolicies(policies));
    }
}
