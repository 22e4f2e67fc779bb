package io.idgate.guardrails;

import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.idgate.netpol.Direction;
import io.idgate.guardrails.TrafficRule.Peer;
import io.idgate.netpol.Cidr;
import io.idgate.netpol.LabelSelector;
import io.idgate.netpol.LabelSyntax;
import io.idgate.yaml.Fields;
import io.idgate.yaml.StrictYamlReader;
import io.idgate.yaml.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code ingressFrom: [...]} or {@code egressTo: [...]}: every peer of that direction must be pinned to
 * a listed identity (see {@link IdentityPinning}); a peer that could select any other pod is a
 * violation. Identity refs: {@code group:<g>}, {@code serviceAccount:<ns>/<sa>} (globs),
 * {@code namespace:<ns>}, {@code spiffe://…}.
 *
 * @param direction which rules it checks: {@code ingressFrom} ingress, {@code egressTo} egress
 * @param allowed   the identities peers must be pinned to; empty allows no peer
 */
public record PeerIdentitiesRequirement(Direction direction, List<IdentityRef> allowed) implements Requirement {

    @Override
    public String field() {
        return direction == Direction.INGRESS ? "ingressFrom" : "egressTo";
    }

    static final String REF_FORMS =
            "use group:<name>, serviceAccount:<namespace>/<name>, namespace:<name> or spiffe://<trust-domain>/<path>";

    public PeerIdentitiesRequirement {
        allowed = List.copyOf(allowed);
    }

    /** Reads {@code ingressFrom} or {@code egressTo}, whichever {@code field} names. */
    static Requirement read(Fields require, String field, DocumentContext doc) {
        if (!require.has(field)) {
            return null;
        }
        List<IdentityRef> refs = new ArrayList<>();
        List<String> texts = require.stringList(field, (v, n, p) -> {
            IdentityRef ref = identityRef(v, StrictYamlReader.line(n), p, doc);
            if (ref != null) {
                refs.add(ref);
            }
            return ref != null;
        });
        return texts == null ? null : new PeerIdentitiesRequirement(field.equals("ingressFrom") ? Direction.INGRESS : Direction.EGRESS, refs);
    }

    /** Reads one identity reference; null (and an error at {@code line}) when {@code v} is not one. */
    static IdentityRef identityRef(String v, int line, String path, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        if (v.startsWith("group:")) {
            String g = v.substring("group:".length());
            if (!LabelSyntax.isName(g)) {
                yaml.error(line, path, "\"" + g + "\" is not a valid group name; group names are at most 63 characters of [A-Za-z0-9._-]");
                return null;
            }
            doc.referGroup(g, path, line);
            return new IdentityRef.GroupRef(g);
        }
        if (v.startsWith("serviceAccount:")) {
            String rest = v.substring("serviceAccount:".length());
            Optional<String> problem = Globs.serviceAccountPatternProblem(rest, "serviceAccount:<namespace>/<name>, e.g. serviceAccount:frontend/web");
            if (problem.isPresent()) {
                yaml.error(line, path, problem.get());
                return null;
            }
            int slash = rest.indexOf('/');
            return new IdentityRef.ServiceAccountRef(rest.substring(0, slash), rest.substring(slash + 1));
        }
        if (v.startsWith("namespace:")) {
            String ns = v.substring("namespace:".length());
            Optional<String> problem = Globs.namespaceProblem(ns);
            if (problem.isPresent()) {
                yaml.error(line, path, problem.get());
                return null;
            }
            return new IdentityRef.NamespaceRef(ns);
        }
        if (v.startsWith("spiffe://")) {
            String rest = v.substring("spiffe://".length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1 || rest.chars().anyMatch(c -> Character.isWhitespace(c) || c == '*')) {
                yaml.error(line, path, "\"" + v + "\" is not a SPIFFE ID; write spiffe://<trust-domain>/<path> without wildcards"
                        + " (use serviceAccount:<namespace>/<glob> for patterns)");
                return null;
            }
            return new IdentityRef.SpiffeRef(v);
        }
        String prefix = v.contains(":") ? v.substring(0, v.indexOf(':')) : v;
        String suggestion = Suggestions.nearest(prefix, List.of("group", "serviceAccount", "namespace", "spiffe"));
        yaml.error(line, path, "\"" + v + "\" is not an identity reference; " + REF_FORMS
                + (suggestion == null || suggestion.equals(prefix) ? "" : " (did you mean " + suggestion + ":?)"));
        return null;
    }

    @Override
    public void checkTraffic(List<TrafficRule> traffic, RuleCheck check) {
        IdentityPinning pinning = null;
        // An ipBlock names addresses, not pods: when the rule lists allowed CIDRs for this direction,
        // those CIDRs are its whole answer for ipBlock peers; otherwise an ipBlock cannot satisfy the
        // identity list.
        List<Cidr> cidrs = check.rule().find(IpBlocksRequirement.class).map(r -> r.allowed(direction)).orElse(null);
        for (TrafficRule rule : traffic) {
            if (rule.direction() != direction) {
                continue;
            }
            if (pinning == null) {
                pinning = new IdentityPinning(allowed, check.config());
            }
            if (rule.noPeers()) {
                check.violation(rule.peersPath(), "missing, so every " + direction.noun() + " is allowed, not only "
                        + pinning.refsText(), pinning.suggestion() + " under " + direction.peersField());
            }
            for (Peer peer : rule.peers()) {
                IPBlock ipBlock = peer.ipBlock();
                boolean judgedByIpBlocks = ipBlock != null && cidrs != null;
                if (!judgedByIpBlocks && !pinning.pinned(peer.pods(), peer.namespaces(), check.namespace())) {
                    check.violation(peer.path(), problem(peer, pinning), pinning.suggestion());
                }
            }
        }
    }

    private String problem(Peer peer, IdentityPinning pinning) {
        if (peer.ipBlock() != null) {
            return "an ipBlock is not an identity; " + direction.field() + " is limited to " + pinning.refsText();
        }
        if (peer.pods() == null && peer.namespaces() == null) {
            return "an empty peer is not pinned to an identity; " + direction.field() + " is limited to " + pinning.refsText();
        }
        return "the peer " + describe(peer.pods(), peer.namespaces()) + " can select pods whose identity is not one of " + pinning.refsText();
    }

    private static String describe(LabelSelector pods, LabelSelector namespaces) {
        List<String> parts = new ArrayList<>();
        if (pods != null) {
            parts.add("podSelector: " + pods.toFlow());
        }
        if (namespaces != null) {
            parts.add("namespaceSelector: " + namespaces.toFlow());
        }
        return "{" + String.join(", ", parts) + "}";
    }
}
