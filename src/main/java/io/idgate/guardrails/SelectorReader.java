package io.idgate.guardrails;

import io.idgate.netpol.LabelSelector;
import io.idgate.netpol.LabelSelector.Operator;
import io.idgate.netpol.LabelSyntax;
import io.idgate.yaml.Fields;
import io.idgate.yaml.StrictYamlReader;
import io.idgate.yaml.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** A Kubernetes label selector written in a guardrail document ({@code match.podSelector}), checked as the API server would. */
final class SelectorReader {

    private static final List<String> SELECTOR_FIELDS = List.of("matchLabels", "matchExpressions");
    private static final List<String> EXPRESSION_FIELDS = List.of("key", "operator", "values");
    private static final List<String> OPERATORS = List.of("In", "NotIn", "Exists", "DoesNotExist");

    private SelectorReader() {}

    /** The selector at {@code path}, or null when anything in it is wrong. */
    static LabelSelector read(Node node, String path, StrictYamlReader yaml) {
        MappingNode m = yaml.mapping(node, path);
        if (m == null) {
            return null;
        }
        int before = yaml.errors().count();
        Fields f = yaml.fields(m, path, SELECTOR_FIELDS);
        TreeMap<String, String> labels = new TreeMap<>();
        if (f.has("matchLabels")) {
            matchLabels(f.node("matchLabels"), path + ".matchLabels", labels, yaml);
        }
        List<LabelSelector.Requirement> expressions = new ArrayList<>();
        if (f.has("matchExpressions")) {
            String ep = path + ".matchExpressions";
            SequenceNode seq = yaml.sequence(f.node("matchExpressions"), ep);
            for (int i = 0; seq != null && i < seq.getValue().size(); i++) {
                LabelSelector.Requirement r = expression(seq.getValue().get(i), ep + "[" + i + "]", yaml);
                if (r != null) {
                    expressions.add(r);
                }
            }
        }
        return yaml.errors().count() > before ? null : new LabelSelector(labels, expressions);
    }

    private static void matchLabels(Node node, String path, TreeMap<String, String> labels, StrictYamlReader yaml) {
        MappingNode lm = yaml.mapping(node, path);
        if (lm == null) {
            return;
        }
        // label keys are data, not schema: read by hand and checked as label keys
        for (NodeTuple t : lm.getValue()) {
            String k = yaml.keyText(t, path);
            if (k == null) {
                continue;
            }
            String kp = path + "[" + k + "]";
            Optional<String> kProblem = LabelSyntax.keyProblem(k);
            if (kProblem.isPresent()) {
                yaml.error(StrictYamlReader.line(t.getKeyNode()), kp, kProblem.get());
                continue;
            }
            if (labels.containsKey(k)) {
                yaml.error(StrictYamlReader.line(t.getKeyNode()), kp, "label key appears twice; keep one");
                continue;
            }
            String v = yaml.string(t.getValueNode(), kp);
            if (v != null) {
                LabelSyntax.valueProblem(v).ifPresent(msg -> yaml.error(StrictYamlReader.line(t.getValueNode()), kp, msg));
                labels.put(k, v);
            }
        }
    }

    private static LabelSelector.Requirement expression(Node node, String path, StrictYamlReader yaml) {
        MappingNode m = yaml.mapping(node, path);
        if (m == null) {
            return null;
        }
        int before = yaml.errors().count();
        Fields f = yaml.fields(m, path, EXPRESSION_FIELDS);
        String key = f.requiredString("key", "name the label key the expression tests");
        if (key != null) {
            LabelSyntax.keyProblem(key).ifPresent(problem -> yaml.error(StrictYamlReader.line(f.node("key")), path + ".key", problem));
        }
        Operator op = null;
        String text = f.requiredString("operator", "use In, NotIn, Exists or DoesNotExist");
        if (text != null) {
            op = Operator.fromWire(text).orElse(null);
            if (op == null) {
                String suggestion = Suggestions.nearest(text, OPERATORS);
                yaml.error(StrictYamlReader.line(f.node("operator")), path + ".operator", "\"" + text
                        + "\" is not an operator; use In, NotIn, Exists or DoesNotExist" + (suggestion == null ? "" : " (did you mean " + suggestion + "?)"));
            }
        }
        List<String> values = List.of();
        Node valuesNode = f.node("values");
        if (valuesNode != null) {
            values = f.stringList("values", (v, n, p) -> {
                Optional<String> problem = LabelSyntax.valueProblem(v);
                problem.ifPresent(msg -> yaml.error(StrictYamlReader.line(n), p, msg));
                return problem.isEmpty();
            });
        }
        if (op != null && values != null) {
            if (op.takesValues() && values.isEmpty()) {
                yaml.error(valuesNode == null ? StrictYamlReader.line(m) : StrictYamlReader.line(valuesNode), path + ".values",
                        op.wire() + " needs at least one value; list them, e.g. values: [pci]");
            } else if (!op.takesValues() && !values.isEmpty()) {
                yaml.error(StrictYamlReader.line(valuesNode), path + ".values", op.wire() + " takes no values; remove values or use In/NotIn");
            }
        }
        if (yaml.errors().count() > before || key == null || op == null || values == null) {
            return null;
        }
        return new LabelSelector.Requirement(key, op, values);
    }
}
