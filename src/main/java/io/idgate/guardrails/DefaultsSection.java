package io.idgate.guardrails;

import io.idgate.yaml.Fields;
import io.idgate.yaml.StrictYamlReader;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code defaults:} of the intents (design section 10): {@code defaultDeny} (every namespace an intent
 * names gets a default-deny policy) and {@code dns} (egress to the cluster DNS); both false when omitted.
 */
final class DefaultsSection implements GuardrailSection {

    private static final List<String> FIELDS = List.of("defaultDeny", "dns");

    @Override
    public String key() {
        return "defaults";
    }

    @Override
    public void read(Node node, DocumentContext doc) {
        MappingNode m = mapping(node, doc);
        if (m == null) {
            return;
        }
        Fields f = doc.yaml().fields(m, key(), FIELDS);
        doc.defaultDeny = f.bool("defaultDeny");
        doc.dns = f.bool("dns");
        doc.defaultsLine = StrictYamlReader.line(m);
    }
}
