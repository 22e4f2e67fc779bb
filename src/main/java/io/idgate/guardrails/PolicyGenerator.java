package io.idgate.guardrails;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityKeys;
import io.idgate.identity.LabelValues;
import io.idgate.identity.WorkloadIdentity;
import io.idgate.netpol.Connections;
import io.idgate.netpol.Direction;
import io.idgate.netpol.IdentityPeer;
import io.idgate.netpol.Protocol;
import io.idgate.reach.ReachPeer;
import io.idgate.reach.World;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;

/**
 * Writes the NetworkPolicies of a set of intents (design section 10). Pure and deterministic: the same
 * intents and inputs give the same policies in the same order.
 *
 * <p>Each intent becomes an ingress rule in a policy of the namespaces of {@code to} (selecting its pods by
 * identity keys) and an egress rule in a policy of the namespaces of {@code from}, each admitting the other
 * side as identity peers ({@link IdentityPeer}: {@code groups.P/<g>}, {@code P/service-account} with the
 * namespace pinned by {@code kubernetes.io/metadata.name}, {@code P/spiffe-id}), {@code *} as every pod of
 * every namespace and {@code cidr:} as an ipBlock. Rules with the same ports in one policy share one rule.
 * A namespace gets one policy per direction and selected identity: {@code idgate-ingress},
 * {@code idgate-ingress-group-<g>}, {@code idgate-egress-sa-<sa>}, ...; with {@code defaultDeny},
 * {@code idgate-default-deny} (never in kube-system, whose DNS every pod needs); with {@code dns}, egress to the cluster DNS ({@code idgate-egress-dns} beside
 * a default deny, otherwise a rule of every egress policy; UDP and TCP 53 to the pods of kube-system).
 *
 * <p>Where an identity lives comes from what the ref says literally ({@code serviceAccount:payments/api},
 * a group whose members name a namespace) and from the workloads of the inputs; a glob or a group that
 * selects no workload of the inputs and names no namespace gets no policy, with a warning.
 */
public final class PolicyGenerator {

    /** The label every generated policy carries. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    /**
     * Where the cluster DNS runs. Its pods are selected by namespace alone (only cluster admins create pods
     * there, and the API server sets the namespace label), not by {@code k8s-app=kube-dns}: a pod label
     * any pod author can set is what the {@code identityPeers} requirement refuses, and the generated
     * policies must pass it. {@code *} does not place policies here: isolating kube-system would cut DNS.
     */
    public static final String KUBE_SYSTEM = "kube-system";
    public static final Connections DNS_PORTS = Connections.of(Protocol.UDP, 53).union(Connections.of(Protocol.TCP, 53));

    /**
     * @param policies the NetworkPolicies, sorted by namespace and name
     * @param warnings refs that select nothing among the inputs, one line each
     * @param namespaces the namespaces the intents name but kube-system (where {@code defaultDeny} puts its policy), sorted
     */
    public record Generated(List<ObjectNode> policies, List<String> warnings, Set<String> namespaces) {
        public Generated {
            policies = List.copyOf(policies);
            warnings = List.copyOf(warnings);
            namespaces = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(namespaces));
        }
    }

    /** Pods a policy selects: a namespace and the identity labels its podSelector requires (empty: every pod). */
    record Subject(String namespace, SortedMap<String, String> podLabels) {}

    private record PolicyKey(String namespace, Direction direction, SortedMap<String, String> podLabels) {}

    private static final Comparator<PolicyKey> ORDER = Comparator.comparing(PolicyKey::namespace)
            .thenComparing(k -> k.direction().ordinal()).thenComparing(k -> k.podLabels().toString());

    private final Intents intents;
    private final World world;
    private final SortedMap<String, Group> groups;
    private final IdentityConfig config;
    private final IdentityKeys keys;
    private final List<String> warnings = new ArrayList<>();

    private PolicyGenerator(Intents intents, World world, SortedMap<String, Group> groups, IdentityConfig config) {
        this.intents = intents;
        this.world = world;
        this.groups = groups;
        this.config = config;
        this.keys = config.keys();
    }

    /**
     * @param world  the workloads and namespaces of the inputs, peers labelled as idgate stamps them (may be empty)
     * @param groups the guardrail groups in force, for the namespaces their members name
     */
    public static Generated generate(Intents intents, World world, SortedMap<String, Group> groups, IdentityConfig config) {
        return new PolicyGenerator(intents, world, groups, config).run();
    }

    private Generated run() {
        // policy -> rule ports -> peers (by their JSON text, so equal peers count once and sort stably)
        TreeMap<PolicyKey, TreeMap<String, TreeMap<String, ObjectNode>>> rules = new TreeMap<>(ORDER);
        Map<String, Connections> portsOf = new TreeMap<>();
        TreeSet<String> named = new TreeSet<>();
        for (Intent intent : intents.intents()) {
            List<Subject> targets = subjects(intent.to(), intent.at("to"));
            List<Subject> sources = subjects(intent.from(), intent.at("from"));
            List<ObjectNode> fromPeers = peers(intent.from());
            List<ObjectNode> toPeers = peers(intent.to());
            String ports = intent.ports().toString();
            portsOf.put(ports, intent.ports());
            for (Subject t : targets) {
                named.add(t.namespace());
                add(rules, new PolicyKey(t.namespace(), Direction.INGRESS, t.podLabels()), ports, fromPeers);
            }
            for (Subject s : sources) {
                named.add(s.namespace());
                add(rules, new PolicyKey(s.namespace(), Direction.EGRESS, s.podLabels()), ports, toPeers);
            }
        }
        List<ObjectNode> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        named.remove(KUBE_SYSTEM); // a default deny there would cut the cluster DNS off from every pod
        if (intents.defaultDeny()) {
            for (String ns : named) {
                ObjectNode deny = policy("idgate-default-deny", ns, new TreeMap<>(), List.of(Direction.INGRESS, Direction.EGRESS));
                out.add(deny);
                names.add(ns + "/idgate-default-deny");
                if (intents.dns()) {
                    ObjectNode dns = policy("idgate-egress-dns", ns, new TreeMap<>(), List.of(Direction.EGRESS));
                    dns.with("spec").putArray("egress").add(rule(Direction.EGRESS, DNS_PORTS, List.of(dnsPeer())));
                    out.add(dns);
                    names.add(ns + "/idgate-egress-dns");
                }
            }
        }
        rules.forEach((key, byPorts) -> {
            String name = unique(names, key.namespace(), name(key));
            ObjectNode p = policy(name, key.namespace(), key.podLabels(), List.of(key.direction()));
            ArrayNode list = p.with("spec").putArray(key.direction().field());
            byPorts.forEach((ports, peers) -> list.add(rule(key.direction(), portsOf.get(ports), List.copyOf(peers.values()))));
            if (key.direction() == Direction.EGRESS && intents.dns() && !intents.defaultDeny()) {
                list.add(rule(Direction.EGRESS, DNS_PORTS, List.of(dnsPeer())));
            }
            out.add(p);
        });
        out.sort(Comparator.comparing((ObjectNode p) -> p.path("metadata").path("namespace").asText())
                .thenComparing(p -> p.path("metadata").path("name").asText()));
        return new Generated(out, warnings, named);
    }

    private static void add(TreeMap<PolicyKey, TreeMap<String, TreeMap<String, ObjectNode>>> rules, PolicyKey key, String ports,
            List<ObjectNode> peers) {
        if (peers.isEmpty()) {
            return;
        }
        TreeMap<String, ObjectNode> into = rules.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(ports, k -> new TreeMap<>());
        peers.forEach(p -> into.put(p.toString(), p));
    }

    /** The pods an end selects, by namespace; empty for a cidr (and, with a warning, for a ref that selects nothing). */
    List<Subject> subjects(Intent.End end, String path) {
        List<Subject> out = new ArrayList<>();
        if (end instanceof Intent.Every) {
            knownNamespaces().stream().filter(ns -> !ns.equals(KUBE_SYSTEM)).forEach(ns -> out.add(new Subject(ns, new TreeMap<>())));
        } else if (end instanceof Intent.Identity id) {
            IdentityRef ref = id.ref();
            if (ref instanceof IdentityRef.GroupRef g) {
                TreeSet<String> namespaces = matchingNamespaces(ref);
                namespaces.addAll(memberNamespaces(g.group()));
                namespaces.forEach(ns -> out.add(new Subject(ns, labels(keys.group(g.group()), "true"))));
            } else if (ref instanceof IdentityRef.NamespaceRef n) {
                namespaces(n.namespaceGlob()).forEach(ns -> out.add(new Subject(ns, new TreeMap<>())));
            } else if (ref instanceof IdentityRef.ServiceAccountRef s) {
                for (String ns : namespaces(s.namespaceGlob())) {
                    for (String sa : accounts(ns, s.nameGlob())) {
                        out.add(new Subject(ns, sa == null ? new TreeMap<>() : labels(keys.serviceAccount(), sa)));
                    }
                }
            } else if (ref instanceof IdentityRef.SpiffeRef s) {
                TreeSet<String> namespaces = matchingNamespaces(ref);
                Matcher m = WorkloadIdentity.SPIFFE_ID.matcher(s.id());
                if (m.matches() && m.group(1).equals(config.trustDomain())) {
                    namespaces.add(m.group(2));
                }
                namespaces.forEach(ns -> out.add(new Subject(ns, labels(keys.spiffeId(), LabelValues.encode(s.id())))));
            }
            if (out.isEmpty()) {
                warnings.add(path + ": " + ref.text() + " selects no workload among the inputs and names no namespace, so no policy"
                        + " is written for it; add its workloads to the inputs, or name a namespace");
            } else if (!world.peers().isEmpty() && world.peers().stream().noneMatch(p -> ref.matches(p, config))) {
                warnings.add(path + ": " + ref.text() + " selects no workload among the inputs; its policies select no pod until one runs");
            }
        }
        return out;
    }

    /** The peers an end admits on the other side. */
    List<ObjectNode> peers(Intent.End end) {
        List<ObjectNode> out = new ArrayList<>();
        if (end instanceof Intent.Every) {
            out.add(new IdentityPeer(Map.of(), Map.of()).json());
        } else if (end instanceof Intent.Block b) {
            ObjectNode peer = JsonNodeFactory.instance.objectNode();
            peer.putObject("ipBlock").put("cidr", b.cidr().text());
            out.add(peer);
        } else if (end instanceof Intent.Identity id) {
            IdentityRef ref = id.ref();
            if (ref instanceof IdentityRef.GroupRef g) {
                out.add(IdentityPeer.group(keys, g.group()).json());
            } else if (ref instanceof IdentityRef.NamespaceRef n) {
                namespaces(n.namespaceGlob()).forEach(ns -> out.add(IdentityPeer.namespace(ns).json()));
            } else if (ref instanceof IdentityRef.ServiceAccountRef s) {
                for (String ns : namespaces(s.namespaceGlob())) {
                    for (String sa : accounts(ns, s.nameGlob())) {
                        out.add(IdentityPeer.serviceAccount(keys, ns, sa).json());
                    }
                }
            } else if (ref instanceof IdentityRef.SpiffeRef s) {
                out.add(IdentityPeer.spiffeId(keys, LabelValues.encode(s.id())).json());
            }
        }
        return out;
    }

    /** Namespaces a glob names: itself when literal, else the known namespaces it matches. */
    private List<String> namespaces(String glob) {
        if (Globs.isLiteral(glob)) {
            return List.of(glob);
        }
        return knownNamespaces().stream().filter(ns -> Globs.matches(glob, ns)).toList();
    }

    /** {@code P/service-account} values a name glob stands for in {@code ns}; a null element: every ServiceAccount. */
    private List<String> accounts(String ns, String nameGlob) {
        if (nameGlob.equals("*")) {
            return java.util.Collections.singletonList(null);
        }
        if (Globs.isLiteral(nameGlob)) {
            return List.of(LabelValues.encode(nameGlob));
        }
        TreeSet<String> found = new TreeSet<>();
        for (ReachPeer p : world.peers()) {
            if (p.namespace().equals(ns) && Globs.matches(nameGlob, p.serviceAccount())) {
                found.add(LabelValues.encode(p.serviceAccount()));
            }
        }
        return List.copyOf(found);
    }

    private TreeSet<String> matchingNamespaces(IdentityRef ref) {
        TreeSet<String> out = new TreeSet<>();
        world.peers().stream().filter(p -> ref.matches(p, config)).forEach(p -> out.add(p.namespace()));
        return out;
    }

    /** Literal namespaces a group's members name ({@code serviceAccount: payments/*}, {@code namespace: checkout}). */
    private Set<String> memberNamespaces(String group) {
        Set<String> out = new TreeSet<>();
        Group g = groups.get(group);
        if (g == null) {
            return out;
        }
        for (GroupMember m : g.members()) {
            String ns = m.kind() == GroupMember.Kind.NAMESPACE ? m.pattern()
                    : m.kind() == GroupMember.Kind.SERVICE_ACCOUNT && m.pattern().contains("/") ? m.pattern().substring(0, m.pattern().indexOf('/'))
                    : null;
            if (ns != null && Globs.isLiteral(ns)) {
                out.add(ns);
            } else if (ns != null) {
                knownNamespaces().stream().filter(k -> Globs.matches(ns, k)).forEach(out::add);
            }
        }
        return out;
    }

    /** The namespaces of the inputs and those the intents name literally. */
    private TreeSet<String> knownNamespaces() {
        TreeSet<String> out = new TreeSet<>(world.namespaces().keySet());
        for (Intent i : intents.intents()) {
            for (Intent.End e : List.of(i.from(), i.to())) {
                if (e instanceof Intent.Identity id && id.ref() instanceof IdentityRef.NamespaceRef n && Globs.isLiteral(n.namespaceGlob())) {
                    out.add(n.namespaceGlob());
                } else if (e instanceof Intent.Identity id && id.ref() instanceof IdentityRef.ServiceAccountRef s
                        && Globs.isLiteral(s.namespaceGlob())) {
                    out.add(s.namespaceGlob());
                }
            }
        }
        return out;
    }

    private static TreeMap<String, String> labels(String key, String value) {
        return new TreeMap<>(Map.of(key, value));
    }

    private static ObjectNode dnsPeer() {
        return IdentityPeer.namespace(KUBE_SYSTEM).json();
    }

    private String name(PolicyKey key) {
        String base = "idgate-" + key.direction().field();
        SortedMap<String, String> l = key.podLabels();
        if (l.isEmpty()) {
            return base;
        }
        Map.Entry<String, String> e = l.entrySet().iterator().next();
        if (e.getKey().equals(keys.serviceAccount())) {
            return base + "-sa-" + dnsSafe(e.getValue());
        }
        if (e.getKey().equals(keys.spiffeId())) {
            return base + "-spiffe-" + dnsSafe(e.getValue());
        }
        String groupPrefix = keys.group("");
        return base + "-group-" + dnsSafe(e.getKey().startsWith(groupPrefix) ? e.getKey().substring(groupPrefix.length()) : e.getKey());
    }

    /** A name two keys of one namespace do not share: {@code -2}, {@code -3}, ... on a clash. */
    private static String unique(Set<String> taken, String namespace, String name) {
        String candidate = name;
        for (int n = 2; !taken.add(namespace + "/" + candidate); n++) {
            candidate = name + "-" + n;
        }
        return candidate;
    }

    private static String dnsSafe(String s) {
        String out = s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        return out.isEmpty() ? "x" : out.length() > 200 ? out.substring(0, 200) : out;
    }

    private static ObjectNode policy(String name, String namespace, SortedMap<String, String> podLabels, List<Direction> types) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("apiVersion", "networking.k8s.io/v1");
        p.put("kind", "NetworkPolicy");
        ObjectNode meta = p.putObject("metadata");
        meta.put("name", name);
        meta.put("namespace", namespace);
        meta.putObject("labels").put(MANAGED_BY, "idgate");
        ObjectNode spec = p.putObject("spec");
        IdentityPeer.matchLabels(spec.putObject("podSelector"), podLabels);
        ArrayNode policyTypes = spec.putArray("policyTypes");
        types.forEach(d -> policyTypes.add(d == Direction.INGRESS ? "Ingress" : "Egress"));
        return p;
    }

    private static ObjectNode rule(Direction d, Connections ports, List<ObjectNode> peers) {
        ObjectNode r = JsonNodeFactory.instance.objectNode();
        ArrayNode list = r.putArray(d.peersField());
        peers.forEach(list::add);
        if (!ports.isAll()) {
            ArrayNode out = r.putArray("ports");
            for (Protocol protocol : Protocol.values()) {
                for (int[] range : ports.ranges(protocol)) {
                    ObjectNode port = out.addObject().put("protocol", protocol.name());
                    if (range[0] != Connections.MIN_PORT || range[1] != Connections.MAX_PORT) {
                        port.put("port", range[0]);
                        if (range[1] != range[0]) {
                            port.put("endPort", range[1]);
                        }
                    }
                }
            }
        }
        return r;
    }
}
