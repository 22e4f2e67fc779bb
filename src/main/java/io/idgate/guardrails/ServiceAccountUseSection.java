package io.idgate.guardrails;

import io.idgate.yaml.Fields;
import io.idgate.yaml.StrictYamlReader;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code serviceAccountUse:} (design section 9): the namespaces where pod creators must be allowed to
 * {@code use} their ServiceAccount, and the requesters exempt from asking (default: the built-in
 * controllers, {@link ServiceAccountUse#BUILT_IN_CONTROLLERS}).
 */
final class ServiceAccountUseSection implements GuardrailSection {

    private static final List<String> FIELDS = List.of("namespaces", "exemptRequesters");
    private static final String EXAMPLE = "e.g. namespaces: [\"payments-*\"]";

    @Override
    public String key() {
        return "serviceAccountUse";
    }

    @Override
    public void read(Node node, DocumentContext doc) {
        MappingNode m = mapping(node, doc);
        if (m == null) {
            return;
        }
        StrictYamlReader yaml = doc.yaml();
        int before = yaml.errors().count();
        Fields f = yaml.fields(m, key(), FIELDS);
        int line = StrictYamlReader.line(m);
        if (!f.has("namespaces")) {
            yaml.error(line, f.path("namespaces"), "missing; list the namespaces where the check applies, " + EXAMPLE);
        }
        List<String> namespaces = f.stringList("namespaces", (v, n, p) -> ok(Globs.namespaceProblem(v), n, p, yaml));
        if (f.has("namespaces") && namespaces != null && namespaces.isEmpty() && yaml.errors().count() == before) {
            yaml.error(StrictYamlReader.line(f.node("namespaces")), f.path("namespaces"),
                    "lists no namespace, so the check would apply nowhere; " + EXAMPLE + " or [\"*\"] for every namespace");
        }
        List<String> exempt = f.has("exemptRequesters")
                ? f.stringList("exemptRequesters", (v, n, p) -> ok(Globs.problem(v), n, p, yaml))
                : ServiceAccountUse.BUILT_IN_CONTROLLERS;
        if (yaml.errors().count() > before || namespaces == null || exempt == null) {
            return;
        }
        doc.serviceAccountUse = new ServiceAccountUse(namespaces, exempt, doc.source(), line);
    }

    private static boolean ok(java.util.Optional<String> problem, Node n, String path, StrictYamlReader yaml) {
        problem.ifPresent(p -> yaml.error(StrictYamlReader.line(n), path, p));
        return problem.isEmpty();
    }
}
