package io.idgate.guardrails;

import io.idgate.yaml.Fields;
import io.idgate.yaml.StrictYamlReader;
import io.idgate.yaml.YamlError;
import java.util.List;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Parses one data value of a guardrail ConfigMap (docs/guardrails.md) into a {@link GuardrailDocument}, or into
 * every {@link ParseError} found, each with its line and field path and a message that says how to fix it.
 *
 * <p>Strict on purpose (see {@link StrictYamlReader}): besides the YAML and type checks of the reader,
 * invalid globs, CIDRs, selectors, label keys and values, unknown actions, group names that cannot be
 * the name part of {@code groups.P/<name>}, duplicate rule names and references to groups not defined
 * in the same document are all errors. A guardrail that silently means less than its author wrote is
 * worse than one that is rejected.
 *
 * <p>This class only dispatches the top-level keys to their {@link GuardrailSection sections} and
 * checks the references between them.
 */
public final class GuardrailParser {

    /** The sections, in the order they are read: issuers before the groups whose claim members name them. */
    static final List<GuardrailSection> SECTIONS = List.of(new IssuersSection(), new GroupsSection(), new RulesSection(),
            new InvariantsSection(), new ServiceAccountUseSection(), new IntentsSection(), new DefaultsSection());

    /** The sections an intents file may hold (design section 10). */
    private static final List<String> INTENT_FIELDS = List.of("intents", "defaults");

    private static final List<String> ROOT_FIELDS = SECTIONS.stream().map(GuardrailSection::key).toList();

    /** How deep a real guardrail document nests, named when a document breaks the nesting limit. */
    private static final int TYPICAL_DEPTH = 8;

    private GuardrailParser() {}

    /**
     * Parses {@code yaml}, the value of data key {@code key} of ConfigMap
     * {@code configMapNamespace/configMapName}.
     */
    public static ParseResult parse(String configMapNamespace, String configMapName, String key, String yaml) {
        Source source = new Source(configMapNamespace, configMapName, key);
        StrictYamlReader reader = new StrictYamlReader("guardrail document", TYPICAL_DEPTH, "groups:, rules: or invariants:");
        DocumentContext doc = new DocumentContext(reader, source);
        read(yaml == null ? "" : yaml, doc);
        if (!reader.errors().isEmpty()) {
            return new ParseResult.Invalid(reader.errors().sorted().stream().map(e -> error(source, e)).toList());
        }
        return new ParseResult.Parsed(new GuardrailDocument(source, doc.groups, doc.rules, doc.issuers, doc.invariants, doc.serviceAccountUse,
                doc.intents()));
    }

    /**
     * Parses an intents file ({@code intents:} and {@code defaults:} only), whose {@code group:} references
     * name the groups of the guardrails among the inputs ({@code knownGroups}). Errors name {@code file},
     * line and field: {@code <file> line <n>: <field>: <message>}.
     */
    public static IntentsFile parseIntents(String file, String yaml, java.util.Set<String> knownGroups) {
        StrictYamlReader reader = new StrictYamlReader("intents file", TYPICAL_DEPTH, "intents: and defaults:");
        DocumentContext doc = new DocumentContext(reader, new Source("", file, ""), knownGroups);
        Node root = reader.compose(yaml == null ? "" : yaml);
        if (reader.errors().isEmpty()) {
            if (StrictYamlReader.isEmpty(root)) {
                reader.error(1, "", "the file is empty; list intents:, e.g. intents: [{from: group:checkout, to: group:payments, ports: [\"TCP 8443\"]}]");
            } else {
                MappingNode rootMap = reader.mapping(root, "");
                if (rootMap != null) {
                    Fields fields = reader.fields(rootMap, "", INTENT_FIELDS);
                    for (GuardrailSection section : SECTIONS) {
                        if (INTENT_FIELDS.contains(section.key()) && fields.has(section.key())) {
                            section.read(fields.node(section.key()), doc);
                        }
                    }
                    if (!fields.has("intents")) {
                        reader.error(StrictYamlReader.line(rootMap), "intents", "missing; list who may reach whom, e.g. intents: [{from:"
                                + " group:checkout, to: group:payments, ports: [\"TCP 8443\"]}]");
                    }
                    doc.checkReferences();
                }
            }
        }
        List<String> errors = reader.errors().sorted().stream().map(e -> io.idgate.identity.OneLine.of(file + (e.line() > 0 ? " line " + e.line() : "")
                + ": " + (e.path().isEmpty() ? "" : e.path() + ": ") + e.message())).toList();
        return new IntentsFile(errors.isEmpty() ? doc.intents() : Intents.NONE, errors);
    }

    /**
     * True when {@code yaml} is an intents file: a mapping with {@code intents:} or {@code defaults:} at
     * the top and no {@code apiVersion} (a Kubernetes object is read as one).
     */
    public static boolean looksLikeIntents(String yaml) {
        Node root = new StrictYamlReader("intents file", TYPICAL_DEPTH, "intents:").compose(yaml == null ? "" : yaml);
        return root instanceof MappingNode m && m.getValue().stream()
                .noneMatch(t -> t.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k && k.getValue().equals("apiVersion"))
                && m.getValue().stream().anyMatch(t -> t.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k
                        && INTENT_FIELDS.contains(k.getValue()));
    }

    /**
     * An intents file read: the intents, or the errors that make it unusable (then {@code intents} is
     * {@link Intents#NONE}).
     */
    public record IntentsFile(Intents intents, List<String> errors) {
        public IntentsFile {
            errors = List.copyOf(errors);
        }
    }

    /**
     * True when {@code yaml} reads as a guardrail document: a mapping with a top-level section key
     * ({@code groups:}, {@code rules:}, ...). Front ends use it to name a ConfigMap that holds guardrails
     * but would be ignored (no guardrail label), rather than drop it silently.
     */
    public static boolean looksLikeGuardrails(String yaml) {
        Node root = new StrictYamlReader("guardrail document", TYPICAL_DEPTH, "groups: or rules:").compose(yaml == null ? "" : yaml);
        return root instanceof MappingNode m && m.getValue().stream()
                .anyMatch(t -> t.getKeyNode() instanceof org.yaml.snakeyaml.nodes.ScalarNode k && ROOT_FIELDS.contains(k.getValue()));
    }

    private static void read(String text, DocumentContext doc) {
        StrictYamlReader yaml = doc.yaml();
        Node root = yaml.compose(text);
        if (!yaml.errors().isEmpty()) {
            return;
        }
        if (StrictYamlReader.isEmpty(root)) {
            yaml.error(1, "", "the document is empty; define groups: and/or rules:");
            return;
        }
        MappingNode rootMap = yaml.mapping(root, "");
        if (rootMap == null) {
            return;
        }
        Fields fields = yaml.fields(rootMap, "", ROOT_FIELDS);
        for (GuardrailSection section : SECTIONS) {
            if (fields.has(section.key())) {
                section.read(fields.node(section.key()), doc);
            }
        }
        doc.checkReferences();
    }

    private static ParseError error(Source source, YamlError e) {
        return new ParseError(source.configMap(), source.key(), e.line(), e.path(), e.message());
    }
}
