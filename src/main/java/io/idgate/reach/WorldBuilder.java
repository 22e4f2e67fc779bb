package io.idgate.reach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.idgate.netpol.Cidr;
import io.idgate.netpol.ContainerPort;
import io.idgate.netpol.FieldProblem;
import io.idgate.netpol.NetworkPolicyProblems;
import io.idgate.netpol.PolicyRule;
import io.idgate.netpol.PolicyRules;
import io.idgate.netpol.Protocol;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Builds a {@link World} from Kubernetes objects already read by some loader (files or a cluster):
 * {@code add(source, object)} for each, then {@link #build()}. Problems (invalid NetworkPolicies, two
 * objects with one kind/namespace/name) are collected, never thrown; a NetworkPolicy with a problem is
 * left out of the world, so callers must refuse the input when {@link #problems()} is not empty.
 *
 * <p>Owned pods: an object whose controller {@code ownerReference} points at an object of the input is
 * folded into that owner (Pod → ReplicaSet → Deployment, Job → CronJob); the owner's peer also carries
 * the owned pods' addresses. An owned Pod whose owner is not in the input becomes the peer
 * {@code ns/<owner>[<OwnerKind>]} with the pod's own labels and ports.
 */
public final class WorldBuilder {

    public static final String NAMESPACE_NAME = "kubernetes.io/metadata.name";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false).build();
    private static final Set<String> WORKLOADS = Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob",
            "ReplicationController");

    private record Key(String kind, String namespace, String name) {}

    private record Obj(String source, Key key, JsonNode node) {}

    private final Map<Key, Obj> objects = new LinkedHashMap<>();
    private final List<InputProblem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private Function<ReachPeer, Set<String>> groups = p -> Set.of();
    private final Function<ObjectNode, NetworkPolicy> binder;

    /** A builder that binds NetworkPolicies leniently (tests, worlds generated in memory). */
    public WorldBuilder() {
        this(node -> {
            try {
                return JSON.convertValue(node, NetworkPolicy.class);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("does not read as a NetworkPolicy (" + e.getMessage().lines().findFirst().orElse("")
                        + "); fix the field's type", e);
            }
        });
    }

    /**
     * @param binder turns a NetworkPolicy object into the model, or throws {@link IllegalArgumentException}
     *               whose message says which field is wrong: the loader's binder, so reach words a policy
     *               that does not bind as the webhook and {@code idgate check} do
     */
    public WorldBuilder(Function<ObjectNode, NetworkPolicy> binder) {
        this.binder = binder;
    }

    /** Adds one object; {@code source} names it in problems (a file path, {@code cluster}, ...). */
    public WorldBuilder add(String source, ObjectNode object) {
        String kind = object.path("kind").asText("");
        String name = object.path("metadata").path("name").asText("");
        if (kind.isEmpty() || object.path("apiVersion").asText("").isEmpty()) {
            warnings.add(source + ": skipped a document that is not a Kubernetes object (no apiVersion/kind)");
            return this;
        }
        String ns = "Namespace".equals(kind) ? "" : object.path("metadata").path("namespace").asText("");
        Key key = new Key(kind, ns.isEmpty() && !"Namespace".equals(kind) ? "default" : ns, name);
        if (!"Namespace".equals(kind) && !"NetworkPolicy".equals(kind) && !"Pod".equals(kind) && !WORKLOADS.contains(kind)) {
            warnings.add(source + ": skipped " + kind + " " + describe(key) + " (carries no pods or policies)");
            return this;
        }
        Obj previous = objects.putIfAbsent(key, new Obj(source, key, object));
        if (previous != null) {
            problems.add(new InputProblem(source, kind + " " + describe(key), "",
                    "a second " + kind + " named " + describe(key) + " (the first is in " + previous.source() + "); keep one"));
        }
        return this;
    }

    /** Every object of {@code objects}, with {@code sources.get(i)} naming {@code objects.get(i)}. */
    public WorldBuilder addAll(List<ObjectNode> objects, List<String> sources) {
        for (int i = 0; i < objects.size(); i++) {
            add(sources.get(i), objects.get(i));
        }
        return this;
    }

    /** The guardrail groups of each peer; the engine does not read guardrail documents itself. */
    public WorldBuilder groups(Function<ReachPeer, Set<String>> membership) {
        this.groups = membership;
        return this;
    }

    public List<InputProblem> problems() {
        return List.copyOf(problems);
    }

    public World build() {
        SortedMap<String, SortedMap<String, String>> namespaces = new TreeMap<>();
        List<PolicyRules> policies = new ArrayList<>();
        Map<Key, List<Obj>> byRoot = new TreeMap<>(Comparator.comparing(Key::namespace).thenComparing(Key::name).thenComparing(Key::kind));
        for (Obj o : objects.values()) {
            switch (o.key().kind()) {
                case "Namespace" -> {
                    SortedMap<String, String> labels = labels(o.node().path("metadata").path("labels"));
                    labels.put(NAMESPACE_NAME, o.key().name()); // the API server sets it, whatever the manifest says
                    namespaces.put(o.key().name(), labels);
                }
                case "NetworkPolicy" -> policy(o).ifPresent(policies::add);
                default -> byRoot.computeIfAbsent(root(o), k -> new ArrayList<>()).add(o);
            }
        }
        List<ReachPeer> peers = new ArrayList<>();
        byRoot.forEach((root, members) -> peers.add(peer(root, members)));
        peers.sort(Comparator.comparing(ReachPeer::id));
        return assemble(namespaces, peers, policies, warnings, groups);
    }

    /**
     * The world of peers built elsewhere (the live world builds each peer from its pods alone), given by
     * id: namespaces that peers or policies live in but nobody declared carry their name label only;
     * policies are sorted; the warnings about host-network peers are added to {@code warnings}.
     */
    public static World assemble(SortedMap<String, SortedMap<String, String>> declaredNamespaces, SortedMap<String, ReachPeer> peersById,
            java.util.Collection<PolicyRules> policies, List<String> warnings, Function<ReachPeer, Set<String>> groups) {
        return assemble(declaredNamespaces, new ArrayList<>(peersById.values()), policies, warnings, groups);
    }

    /** {@link #assemble(SortedMap, SortedMap, java.util.Collection, List, Function)} of {@code peers} sorted by id. */
    private static World assemble(SortedMap<String, SortedMap<String, String>> declaredNamespaces, List<ReachPeer> peers,
            java.util.Collection<PolicyRules> policyList, List<String> warnings, Function<ReachPeer, Set<String>> groups) {
        SortedMap<String, SortedMap<String, String>> namespaces = new TreeMap<>(declaredNamespaces);
        List<PolicyRules> policies = new ArrayList<>(policyList);
        String last = null; // sorted by id, a namespace's peers are next to each other: one lookup per namespace
        for (ReachPeer p : peers) {
            if (!p.namespace().equals(last)) {
                last = p.namespace();
                namespaces.computeIfAbsent(p.namespace(), n -> new TreeMap<>(Map.of(NAMESPACE_NAME, n)));
            }
        }
        for (PolicyRules p : policies) {
            namespaces.computeIfAbsent(p.namespace(), n -> new TreeMap<>(Map.of(NAMESPACE_NAME, n)));
        }
        Comparator<PolicyRules> byName = Comparator.comparing(PolicyRules::namespace).thenComparing(PolicyRules::name);
        for (int i = 1; i < policies.size(); i++) {
            if (byName.compare(policies.get(i - 1), policies.get(i)) > 0) {
                policies.sort(byName);
                break;
            }
        }
        Map<String, Set<String>> membership = new HashMap<>();
        List<String> out = new ArrayList<>(warnings);
        for (ReachPeer p : peers) {
            Set<String> g = groups.apply(p);
            if (g != null && !g.isEmpty()) {
                membership.put(p.id(), Set.copyOf(new TreeSet<>(g)));
            }
            if (p.hostNetwork()) {
                out.add(p.id() + ": uses the host network; its NetworkPolicies are evaluated as for other pods, but CNIs differ"
                        + " in whether they enforce them on host-network pods");
            }
        }
        return new World(namespaces, peers, policies, membership, out);
    }

    private java.util.Optional<PolicyRules> policy(Obj o) {
        String object = "NetworkPolicy " + describe(o.key());
        NetworkPolicy np;
        try {
            np = binder.apply((ObjectNode) o.node());
        } catch (IllegalArgumentException e) {
            problems.add(new InputProblem(o.source(), object, "", e.getMessage().lines().findFirst().orElse("")));
            return java.util.Optional.empty();
        }
        List<FieldProblem> found = NetworkPolicyProblems.of(np);
        for (FieldProblem f : found) {
            problems.add(new InputProblem(o.source(), object, f.field(), f.message()));
        }
        if (!found.isEmpty()) {
            return java.util.Optional.empty();
        }
        if (np.getMetadata() != null && (np.getMetadata().getNamespace() == null || np.getMetadata().getNamespace().isEmpty())) {
            np.getMetadata().setNamespace("default");
        }
        PolicyRules rules = PolicyRules.of(np);
        warnAbout(rules);
        return java.util.Optional.of(rules);
    }

    private void warnAbout(PolicyRules p) {
        for (var d : io.idgate.netpol.Direction.values()) {
            for (PolicyRule r : p.rules(d)) {
                String path = "spec." + d.field() + "[" + r.index() + "]";
                for (int j = 0; j < r.peers().size(); j++) {
                    var peer = r.peers().get(j);
                    if (peer.isIpBlock() && !peer.ipBlock().cidr().ipv4()) {
                        warnings.add("NetworkPolicy " + p.id() + ": " + path + "." + d.peersField() + "[" + j + "].ipBlock: IPv6 block "
                                + peer.ipBlock().cidr().text() + " is evaluated for pods with IPv6 addresses, but external peers"
                                + " are IPv4 ranges only, so no external edge shows it");
                    }
                }
                if (d == io.idgate.netpol.Direction.EGRESS && r.hasNamedPorts() && !r.peers().isEmpty()
                        && r.peers().stream().allMatch(io.idgate.netpol.Peer::isIpBlock)) {
                    warnings.add("NetworkPolicy " + p.id() + ": " + path + ": a named port towards ipBlock peers resolves only"
                            + " against pods whose address is in the block; it opens nothing to external addresses");
                }
            }
        }
    }

    /**
     * The id of the peer {@code pod} is part of when none of its owners is among the objects read, as for
     * a cluster's pods (owners are not read): its controller's, else its own.
     */
    public static String peerIdOf(ObjectNode pod) {
        String ns = pod.path("metadata").path("namespace").asText("");
        Key root = root(new Key(pod.path("kind").asText(""), ns.isEmpty() ? "default" : ns, pod.path("metadata").path("name").asText("")), pod,
                Map.of());
        return ReachPeer.id(root.namespace(), root.name(), root.kind());
    }

    private Key root(Obj o) {
        return root(o.key(), o.node(), objects);
    }

    /** Follows controller ownerReferences through {@code objects}; an absent owner is the root itself. */
    private static Key root(Key key, JsonNode node, Map<Key, Obj> objects) {
        for (int depth = 0; depth < 8; depth++) {
            JsonNode ref = controller(node);
            if (ref == null) {
                return key;
            }
            Key owner = new Key(ref.path("kind").asText(), key.namespace(), ref.path("name").asText());
            Obj ownerObj = objects.get(owner);
            if (ownerObj == null) {
                return owner;
            }
            key = owner;
            node = ownerObj.node();
        }
        return key;
    }

    private static JsonNode controller(JsonNode node) {
        for (JsonNode ref : node.path("metadata").path("ownerReferences")) {
            if (ref.path("controller").asBoolean(false) && !ref.path("kind").asText("").isEmpty() && !ref.path("name").asText("").isEmpty()) {
                return ref;
            }
        }
        return null;
    }

    private ReachPeer peer(Key root, List<Obj> members) {
        Obj template = objects.get(root);
        if (template == null) {
            template = members.get(0);
        }
        JsonNode podMeta;
        JsonNode podSpec;
        JsonNode n = template.node();
        switch (template.key().kind()) {
            case "Pod" -> {
                podMeta = n.path("metadata");
                podSpec = n.path("spec");
            }
            case "CronJob" -> {
                podMeta = n.path("spec").path("jobTemplate").path("spec").path("template").path("metadata");
                podSpec = n.path("spec").path("jobTemplate").path("spec").path("template").path("spec");
            }
            default -> {
                podMeta = n.path("spec").path("template").path("metadata");
                podSpec = n.path("spec").path("template").path("spec");
            }
        }
        String sa = podSpec.path("serviceAccountName").asText("");
        if (sa.isEmpty()) {
            sa = podSpec.path("serviceAccount").asText("");
        }
        List<ContainerPort> ports = new ArrayList<>();
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode c : podSpec.path(list)) {
                for (JsonNode p : c.path("ports")) {
                    String proto = p.path("protocol").asText("TCP");
                    String name = p.path("name").asText("");
                    ports.add(new ContainerPort(name.isEmpty() ? null : name, p.path("containerPort").asInt(),
                            Protocol.fromWire(proto).orElse(Protocol.TCP)));
                }
            }
        }
        TreeSet<String> ipTexts = new TreeSet<>();
        for (Obj m : members) {
            JsonNode status = m.node().path("status");
            for (JsonNode ip : status.path("podIPs")) {
                if (!ip.path("ip").asText("").isEmpty()) {
                    ipTexts.add(ip.path("ip").asText());
                }
            }
            if (!status.path("podIP").asText("").isEmpty()) {
                ipTexts.add(status.path("podIP").asText());
            }
        }
        List<Cidr> ips = new ArrayList<>();
        for (String ip : ipTexts) {
            try {
                ips.add(Cidr.parse(ip + (ip.contains(":") ? "/128" : "/32")));
            } catch (IllegalArgumentException e) {
                warnings.add(template.source() + ": " + template.key().kind() + " " + describe(template.key())
                        + ": status pod IP \"" + ip + "\" is not an address; ignored");
            }
        }
        return new ReachPeer(root.namespace(), root.name(), root.kind(), labels(podMeta.path("labels")), sa.isEmpty() ? "default" : sa,
                ports, ips, podSpec.path("hostNetwork").asBoolean(false));
    }

    private static SortedMap<String, String> labels(JsonNode labels) {
        SortedMap<String, String> out = new TreeMap<>();
        labels.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().isNull() ? "" : e.getValue().asText()));
        return out;
    }

    private static String describe(Key k) {
        return k.namespace().isEmpty() ? k.name() : k.namespace() + "/" + k.name();
    }
}
