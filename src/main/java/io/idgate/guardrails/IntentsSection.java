package io.idgate.guardrails;

import io.idgate.netpol.Cidr;
import io.idgate.netpol.Connections;
import io.idgate.yaml.Fields;
import io.idgate.yaml.StrictYamlReader;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code intents:} (design section 10): who may reach whom, in identity terms. {@code from} and
 * {@code to} are identity references (section 3), {@code *} (every pod) or {@code cidr:<CIDR>};
 * {@code ports} are protocol groups as {@code idgate reach} prints them ({@code TCP 8443},
 * {@code TCP 80,8080-8090,UDP 53}), omitted for every port.
 */
final class IntentsSection implements GuardrailSection {

    private static final List<String> FIELDS = List.of("from", "to", "ports", "description");
    private static final String EXAMPLE = "e.g. {from: group:checkout, to: group:payments, ports: [\"TCP 8443\"]}";

    @Override
    public String key() {
        return "intents";
    }

    @Override
    public void read(Node node, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        SequenceNode seq = yaml.sequence(node, key());
        if (seq == null) {
            return;
        }
        for (int i = 0; i < seq.getValue().size(); i++) {
            String path = key() + "[" + i + "]";
            MappingNode m = yaml.mapping(seq.getValue().get(i), path);
            if (m != null) {
                Intent intent = intent(m, path, doc);
                if (intent != null) {
                    doc.intents.add(intent);
                }
            }
        }
    }

    private static Intent intent(MappingNode m, String path, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        int before = yaml.errors().count();
        Fields f = yaml.fields(m, path, FIELDS);
        f.string("description");
        Intent.End from = end(f, "from", doc);
        Intent.End to = end(f, "to", doc);
        Connections ports = Connections.ALL;
        if (f.has("ports")) {
            Connections[] union = {Connections.NONE};
            List<String> specs = f.stringList("ports", (v, n, p) -> {
                try {
                    union[0] = union[0].union(Connections.parse(v));
                    return true;
                } catch (IllegalArgumentException e) {
                    yaml.error(StrictYamlReader.line(n), p, e.getMessage());
                    return false;
                }
            });
            if (specs != null && specs.isEmpty() && yaml.errors().count() == before) {
                yaml.error(StrictYamlReader.line(f.node("ports")), f.path("ports"), "[] allows no connection at all; list protocol"
                        + " groups such as [\"TCP 8443\"], or omit ports for every port");
            }
            ports = union[0];
        }
        if (from instanceof Intent.Block && to instanceof Intent.Block) {
            yaml.error(StrictYamlReader.line(m), path, "goes from addresses to addresses, which no NetworkPolicy governs; one side must"
                    + " be pods (an identity or \"*\")");
        }
        if (yaml.errors().count() > before || from == null || to == null) {
            return null;
        }
        Source source = doc.source();
        String where = source.namespace().isEmpty() && source.key().isEmpty() ? source.name() : source.describe(); // an intents file: its name
        return new Intent(from, to, ports, where, path, StrictYamlReader.line(m));
    }

    private static Intent.End end(Fields f, String field, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        String v = f.requiredString(field, "name " + (field.equals("from") ? "who connects" : "who accepts") + ": an identity ref"
                + " (group:<g>, serviceAccount:<ns>/<sa>, namespace:<ns>, spiffe://...), \"*\" or cidr:<CIDR>, " + EXAMPLE);
        if (v == null) {
            return null;
        }
        int line = StrictYamlReader.line(f.node(field));
        String path = f.path(field);
        if (v.equals("*")) {
            return new Intent.Every();
        }
        if (v.startsWith("cidr:")) {
            try {
                return new Intent.Block(Cidr.parse(v.substring("cidr:".length())));
            } catch (IllegalArgumentException e) {
                yaml.error(line, path, e.getMessage());
                return null;
            }
        }
        IdentityRef ref = PeerIdentitiesRequirement.identityRef(v, line, path, doc);
        return ref == null ? null : new Intent.Identity(ref);
    }
}
