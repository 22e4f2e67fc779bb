package io.idgate.guardrails;

import io.idgate.guardrails.GroupMember.Kind;
import io.idgate.netpol.LabelSyntax;
import io.idgate.yaml.Fields;
import io.idgate.yaml.StrictYamlReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** {@code groups:}: named sets of identities, each member exactly one identity attribute and a glob. */
final class GroupsSection implements GuardrailSection {

    private static final List<String> GROUP_FIELDS = List.of("members");
    private static final List<String> MEMBER_FIELDS = Arrays.stream(Kind.values()).map(Kind::field).toList();

    @Override
    public String key() {
        return "groups";
    }

    @Override
    public void read(Node node, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        MappingNode map = yaml.mapping(node, "groups");
        if (map == null) {
            return;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (NodeTuple t : map.getValue()) {
            String name = yaml.keyText(t, "groups");
            if (name == null) {
                continue;
            }
            String path = "groups." + name;
            int line = StrictYamlReader.line(t.getKeyNode());
            if (seen.putIfAbsent(name, line) != null) {
                yaml.error(line, path, "group \"" + name + "\" is defined twice (also line " + seen.get(name) + "); merge the members into one");
                continue;
            }
            boolean nameOk = LabelSyntax.isName(name);
            if (!nameOk) {
                yaml.error(line, path, "group name \"" + name + "\" cannot be used: it becomes the label key groups.<prefix>/" + name
                        + ", so it must be at most 63 characters of [A-Za-z0-9._-], beginning and ending with a letter or digit");
            }
            MappingNode body = yaml.mapping(t.getValueNode(), path);
            if (body == null) {
                continue;
            }
            Fields f = yaml.fields(body, path, GROUP_FIELDS);
            if (!f.has("members")) {
                yaml.error(StrictYamlReader.line(body), path + ".members", "missing; list the group's members, e.g. - serviceAccount: payments/*");
                continue;
            }
            List<GroupMember> members = members(f.node("members"), path + ".members", doc);
            if (members != null && nameOk) {
                doc.groups.put(name, new Group(name, members, doc.source(), line));
            }
        }
    }

    private static List<GroupMember> members(Node node, String path, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        SequenceNode seq = yaml.sequence(node, path);
        if (seq == null) {
            return null;
        }
        if (seq.getValue().isEmpty()) {
            yaml.error(StrictYamlReader.line(seq), path, "a group needs at least one member, e.g. - serviceAccount: payments/*");
            return null;
        }
        List<GroupMember> members = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < seq.getValue().size(); i++) {
            String p = path + "[" + i + "]";
            MappingNode m = yaml.mapping(seq.getValue().get(i), p);
            if (m == null) {
                ok = false;
                continue;
            }
            Fields f = yaml.fields(m, p, MEMBER_FIELDS);
            if (f.size() != 1) {
                if (m.getValue().size() == f.size()) { // no unknown-field error was given
                    yaml.error(StrictYamlReader.line(m), p, (f.isEmpty() ? "has no identity" : "has " + f.size() + " identities ("
                            + String.join(", ", f.names()) + ")")
                            + "; a member has exactly one of " + String.join(", ", MEMBER_FIELDS) + " (use one list entry each)");
                }
                ok = false;
                continue;
            }
            String field = f.names().iterator().next();
            Kind kind = Kind.fromField(field).orElseThrow();
            String fp = p + "." + field;
            Node valueNode = f.node(field);
            if (kind == Kind.CLAIM) {
                GroupMember claim = claimMember(valueNode, fp, doc);
                if (claim == null) {
                    ok = false;
                } else {
                    members.add(claim);
                }
                continue;
            }
            String value = yaml.string(valueNode, fp);
            if (value == null) {
                ok = false;
                continue;
            }
            Optional<String> problem = switch (kind) {
                case SERVICE_ACCOUNT -> Globs.serviceAccountPatternProblem(value, "<namespace>/<name>, e.g. payments/* or */web");
                case NAMESPACE -> Globs.namespaceProblem(value);
                default -> Globs.problem(value);
            };
            if (problem.isPresent()) {
                yaml.error(StrictYamlReader.line(valueNode), fp, problem.get());
                ok = false;
                continue;
            }
            members.add(new GroupMember(kind, value));
        }
        return ok ? members : null;
    }

    /** {@code claim: {issuer: corp, groups: payments}}: the issuer, and one claim with a value glob. */
    private static GroupMember claimMember(Node node, String path, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        MappingNode m = yaml.mapping(node, path);
        if (m == null) {
            return null;
        }
        String issuer = null;
        String claim = null;
        String value = null;
        int valueLine = StrictYamlReader.line(m);
        // the claim's name is the key, so the keys are read by hand rather than against a field list
        for (NodeTuple t : m.getValue()) {
            String k = yaml.keyText(t, path);
            if (k == null) {
                return null;
            }
            String v = yaml.string(t.getValueNode(), path + "." + k);
            if (v == null) {
                return null;
            }
            if (k.equals("issuer")) {
                issuer = v;
            } else if (claim != null) {
                yaml.error(StrictYamlReader.line(t.getKeyNode()), path + "." + k, "a claim member names one claim (already " + claim
                        + "); use one member per claim");
                return null;
            } else {
                claim = k;
                value = v;
                valueLine = StrictYamlReader.line(t.getValueNode());
            }
        }
        if (issuer == null || claim == null) {
            yaml.error(StrictYamlReader.line(m), path, "needs the issuer and one claim, e.g. claim: {issuer: corp, groups: payments}");
            return null;
        }
        String glob = value;
        Optional<String> problem = ClaimMapping.problem(claim).or(() -> Globs.problem(glob));
        if (problem.isPresent()) {
            yaml.error(valueLine, path + "." + claim, problem.get());
            return null;
        }
        var ref = new GroupMember.ClaimRef(issuer, claim);
        doc.referClaim(ref, value, path + "." + claim, valueLine);
        return new GroupMember(Kind.CLAIM, value, ref);
    }
}
