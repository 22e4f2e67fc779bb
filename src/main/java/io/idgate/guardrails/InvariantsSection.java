package io.idgate.guardrails;

import io.idgate.netpol.Cidr;
import io.idgate.netpol.Direction;
import io.idgate.netpol.LabelSyntax;
import io.idgate.yaml.Fields;
import io.idgate.yaml.StrictYamlReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code invariants:} (design section 8): each entry names a protected identity and who alone may
 * reach it ({@code to} + {@code onlyFrom}) or whom alone it may reach ({@code from} + {@code onlyTo}).
 */
final class InvariantsSection implements GuardrailSection {

    private static final List<String> FIELDS = List.of("name", "description", "action", "to", "onlyFrom", "from", "onlyTo");
    private static final String EXAMPLE = "e.g. {name: payments-isolated, to: group:payments, onlyFrom: [group:checkout]}";

    @Override
    public String key() {
        return "invariants";
    }

    @Override
    public void read(Node node, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        SequenceNode seq = yaml.sequence(node, "invariants");
        if (seq == null) {
            return;
        }
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            String path = "invariants[" + i + "]";
            MappingNode m = yaml.mapping(seq.getValue().get(i), path);
            if (m != null) {
                Invariant inv = invariant(m, path, names, doc);
                if (inv != null) {
                    doc.invariants.add(inv);
                }
            }
        }
    }

    private static Invariant invariant(MappingNode m, String path, Map<String, String> names, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        int before = yaml.errors().count();
        Fields f = yaml.fields(m, path, FIELDS);
        String name = f.requiredString("name", "every invariant needs a unique name, " + EXAMPLE);
        if (name != null) {
            int line = StrictYamlReader.line(f.node("name"));
            String first;
            if (!LabelSyntax.isDnsLabel(name)) {
                yaml.error(line, path + ".name", "\"" + name + "\" is not a valid invariant name; use lower-case letters, digits and '-',"
                        + " at most 63 characters, starting and ending with a letter or digit");
            } else if ((first = names.putIfAbsent(name, path + " (line " + line + ")")) != null) {
                yaml.error(line, path + ".name", "invariant name \"" + name + "\" is already used by " + first + "; rename one");
            }
        }
        String description = f.string("description");
        Action action = Action.DENY;
        if (f.has("action")) {
            String a = f.string("action");
            Optional<Action> parsed = a == null ? Optional.empty() : Action.fromWire(a);
            if (a != null && parsed.isEmpty()) {
                yaml.error(StrictYamlReader.line(f.node("action")), path + ".action", "\"" + a + "\" is not an action; use deny (the default), warn or audit");
            } else if (a != null) {
                action = parsed.get();
            }
        }
        Direction guarded = direction(f, m, path, yaml);
        if (guarded == null) {
            return null;
        }
        String protectedField = guarded == Direction.INGRESS ? "to" : "from";
        String allowedField = guarded == Direction.INGRESS ? "onlyFrom" : "onlyTo";
        IdentityRef protectedRef = null;
        String ref = f.string(protectedField);
        if (ref != null) { // not a string: the reader said so
            protectedRef = PeerIdentitiesRequirement.identityRef(ref, StrictYamlReader.line(f.node(protectedField)), path + "." + protectedField, doc);
        }
        List<IdentityRef> allowed = new ArrayList<>();
        List<Cidr> cidrs = new ArrayList<>();
        f.stringList(allowedField, (v, n, p) -> {
            int line = StrictYamlReader.line(n);
            if (v.startsWith("cidr:")) {
                try {
                    cidrs.add(Cidr.parse(v.substring("cidr:".length())));
                    return true;
                } catch (IllegalArgumentException e) {
                    yaml.error(line, p, e.getMessage());
                    return false;
                }
            }
            IdentityRef r = PeerIdentitiesRequirement.identityRef(v, line, p, doc);
            if (r != null) {
                allowed.add(r);
            }
            return r != null;
        });
        if (yaml.errors().count() > before || name == null || protectedRef == null) {
            return null;
        }
        return new Invariant(name, description == null ? "" : description, action, guarded, protectedRef, allowed, cidrs, doc.source(),
                StrictYamlReader.line(m));
    }

    /** Which side the entry guards, from which pair of fields it uses; null (and an error) for any other combination. */
    private static Direction direction(Fields f, MappingNode m, String path, StrictYamlReader yaml) {
        boolean to = f.has("to") || f.has("onlyFrom");
        boolean from = f.has("from") || f.has("onlyTo");
        if (to && from) {
            yaml.error(StrictYamlReader.line(m), path, "mixes to/onlyFrom with from/onlyTo; write two invariants, one for each direction");
            return null;
        }
        if (!to && !from) {
            yaml.error(StrictYamlReader.line(m), path, "says nothing to protect; use to: with onlyFrom: (who may reach it) or from: with"
                    + " onlyTo: (what it may reach), " + EXAMPLE);
            return null;
        }
        String protectedField = to ? "to" : "from";
        String allowedField = to ? "onlyFrom" : "onlyTo";
        if (!f.has(protectedField)) {
            yaml.error(StrictYamlReader.line(m), path + "." + protectedField, "missing; name the protected identity, e.g. "
                    + protectedField + ": group:payments");
            return null;
        }
        if (!f.has(allowedField)) {
            yaml.error(StrictYamlReader.line(m), path + "." + allowedField, "missing; list who else may take part, e.g. " + allowedField
                    + ": [group:checkout, cidr:10.0.0.0/8] ([] allows nothing outside " + f.string(protectedField) + ")");
            return null;
        }
        return to ? Direction.INGRESS : Direction.EGRESS;
    }
}
