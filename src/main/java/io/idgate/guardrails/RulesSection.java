package io.idgate.guardrails;

import io.idgate.netpol.LabelSelector;
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
 * {@code rules:}: name, action, which policies a rule applies to ({@code match:}) and what it requires
 * ({@code require:}, each key read by its {@link Requirement}).
 */
final class RulesSection implements GuardrailSection {

    private static final List<String> RULE_FIELDS = List.of("name", "description", "action", "match", "require");
    private static final List<String> MATCH_FIELDS = List.of("namespaces", "excludeNamespaces", "podSelector");

    @Override
    public String key() {
        return "rules";
    }

    @Override
    public void read(Node node, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        SequenceNode seq = yaml.sequence(node, "rules");
        if (seq == null) {
            return;
        }
        Map<String, String> names = new HashMap<>();
        for (int i = 0; i < seq.getValue().size(); i++) {
            String path = "rules[" + i + "]";
            MappingNode m = yaml.mapping(seq.getValue().get(i), path);
            if (m == null) {
                continue;
            }
            Rule rule = rule(m, path, names, doc);
            if (rule != null) {
                doc.rules.add(rule);
            }
        }
    }

    private static Rule rule(MappingNode m, String path, Map<String, String> names, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        int before = yaml.errors().count();
        Fields f = yaml.fields(m, path, RULE_FIELDS);
        String name = f.requiredString("name", "every rule needs a unique name, e.g. name: pci-ingress-by-identity");
        if (name != null) {
            int line = StrictYamlReader.line(f.node("name"));
            String first = null;
            if (!LabelSyntax.isDnsLabel(name)) {
                yaml.error(line, path + ".name", "\"" + name + "\" is not a valid rule name; use lower-case letters, digits and '-',"
                        + " at most 63 characters, starting and ending with a letter or digit");
                name = null;
            } else if ((first = names.putIfAbsent(name, path + " (line " + line + ")")) != null) {
                yaml.error(line, path + ".name", "rule name \"" + name + "\" is already used by " + first
                        + "; rule names must be unique, rename one");
                name = null;
            }
        }
        String description = f.string("description");
        Action action = Action.DENY;
        String a = f.string("action");
        if (a != null) {
            Optional<Action> parsed = Action.fromWire(a);
            if (parsed.isEmpty()) {
                yaml.error(StrictYamlReader.line(f.node("action")), path + ".action", "\"" + a + "\" is not an action; use deny (the default), warn or audit");
            } else {
                action = parsed.get();
            }
        }
        Match match = f.has("match") ? match(f.node("match"), path + ".match", yaml) : Match.ALL;
        List<Requirement> require = null;
        if (!f.has("require")) {
            yaml.error(StrictYamlReader.line(m), path + ".require", "missing; a rule needs at least one requirement, e.g. require: {identityPeers: true}");
        } else {
            require = require(f.node("require"), path + ".require", doc);
        }
        if (yaml.errors().count() > before || name == null || match == null || require == null) {
            return null;
        }
        return new Rule(name, description == null ? "" : description, action, match, require, doc.source(), StrictYamlReader.line(m));
    }

    private static Match match(Node node, String path, StrictYamlReader yaml) {
        MappingNode m = yaml.mapping(node, path);
        if (m == null) {
            return null;
        }
        Fields f = yaml.fields(m, path, MATCH_FIELDS);
        List<String> namespaces = List.of("*");
        if (f.has("namespaces")) {
            namespaces = f.stringList("namespaces", (v, n, p) -> namespaceGlob(v, n, p, yaml));
            if (namespaces != null && namespaces.isEmpty()) {
                yaml.error(StrictYamlReader.line(f.node("namespaces")), path + ".namespaces",
                        "an empty list matches no namespace; omit namespaces to match all of them");
                namespaces = null;
            }
        }
        List<String> excluded = List.of();
        if (f.has("excludeNamespaces")) {
            excluded = f.stringList("excludeNamespaces", (v, n, p) -> namespaceGlob(v, n, p, yaml));
        }
        LabelSelector podSelector = LabelSelector.ALL;
        if (f.has("podSelector")) {
            podSelector = SelectorReader.read(f.node("podSelector"), path + ".podSelector", yaml);
        }
        if (namespaces == null || excluded == null || podSelector == null) {
            return null;
        }
        return new Match(namespaces, excluded, podSelector);
    }

    private static boolean namespaceGlob(String value, Node n, String path, StrictYamlReader yaml) {
        Optional<String> problem = Globs.namespaceProblem(value);
        problem.ifPresent(msg -> yaml.error(StrictYamlReader.line(n), path, msg));
        return problem.isEmpty();
    }

    /** {@code require:}: every key read by its requirement, in {@link Requirement#KINDS} order; null when anything is wrong. */
    private static List<Requirement> require(Node node, String path, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        MappingNode m = yaml.mapping(node, path);
        if (m == null) {
            return null;
        }
        int before = yaml.errors().count();
        Fields f = yaml.fields(m, path, Requirement.FIELDS);
        List<Requirement> out = new ArrayList<>();
        for (Requirement.Kind kind : Requirement.KINDS) {
            Requirement r = kind.reader().read(f, kind.field(), doc);
            if (r != null) {
                out.add(r);
            }
        }
        if (yaml.errors().count() > before) {
            return null;
        }
        if (out.isEmpty()) {
            yaml.error(StrictYamlReader.line(m), path, "no requirement is switched on, so the rule checks nothing; set at least one of "
                    + String.join(", ", Requirement.FIELDS));
            return null;
        }
        return out;
    }
}
