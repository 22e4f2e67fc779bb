package io.idgate.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The reader's rules, each both ways: a row that keeps the rule and a row that breaks it, with the
 * exact value read and the exact errors ({@code <line> <path>: <message>}).
 */
class StrictYamlReaderTest {

    /**
     * @param name   the rule, as a sentence
     * @param yaml   the document
     * @param read   what the schema reads from the root node
     * @param value  {@code String.valueOf} of what was read
     * @param errors every error, sorted
     */
    record Row(String name, String yaml, BiFunction<StrictYamlReader, Node, Object> read, String value, List<String> errors) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<String> FIELDS = List.of("name", "enabled", "tags", "interval", "when");

    private static Row ok(String name, String yaml, BiFunction<StrictYamlReader, Node, Object> read, String value) {
        return new Row(name, yaml, read, value, List.of());
    }

    private static Row bad(String name, String yaml, BiFunction<StrictYamlReader, Node, Object> read, String value, String... errors) {
        return new Row(name, yaml, read, value, List.of(errors));
    }

    /** The root's known fields. */
    private static Fields fields(StrictYamlReader r, Node root) {
        return r.fields((MappingNode) root, "spec", FIELDS);
    }

    static Stream<Row> rows() {
        return Stream.of(
                // the document
                ok("a well-formed document composes into nodes", "name: a\n", (r, n) -> fields(r, n).string("name"), "a"),
                bad("text that is not YAML is an error at its line", "name: a\n  b: [\n", (r, n) -> n, "null",
                        "2 : not valid YAML (mapping values are not allowed here); check the indentation and quoting around this line"),
                ok("a tab inside a quoted string is allowed", "name: \"a\tb\"\n", (r, n) -> fields(r, n).string("name"), "a\tb"),
                bad("a control character is an error at its line, named by code point", "name: a\nenabled: tr\u0007ue\n", (r, n) -> n, "null",
                        "2 : character U+0007 is not allowed in YAML; remove it, or write it escaped in a double-quoted string"),
                ok("50 aliases of collections are allowed", "a: &x [1]\nb: [" + "*x, ".repeat(49) + "*x]\n", (r, n) -> n != null, "true"),
                bad("more than 50 aliases of collections are an error at the alias over the limit",
                        "a: &x [1]\nb: [\n" + "*x,\n".repeat(50) + "*x]\n", (r, n) -> n, "null",
                        "53 : more than 50 aliases (*name) of lists or mappings, the limit that stops alias bombs;"
                                + " write the document out without anchors (&name) and aliases"),
                ok("50 levels of nesting are allowed", "[".repeat(50) + "]".repeat(50) + "\n", (r, n) -> n != null, "true"),
                bad("more than 50 levels of nesting are an error that names the document's usual depth",
                        "a:\n  b: " + "[".repeat(60) + "]".repeat(60) + "\n", (r, n) -> n, "null",
                        "2 : lists and mappings nested deeper than 50 levels, the limit; a test document nests about 3 deep,"
                                + " check the indentation and brackets"),
                bad("a scanner error SnakeYAML reports without a position gets the line of the last event read",
                        "tags:\n  - \"x\n\" b: {c\n", (r, n) -> n, "null",
                        "2 : not valid YAML (A simple key is required only if it is the first token in the current line);"
                                + " check the indentation and quoting around this line"),
                // keys
                ok("a known key is read", "enabled: true\n", (r, n) -> fields(r, n).names(), "[enabled]"),
                bad("an unknown key is an error that suggests the nearest known one", "enabeld: true\n", (r, n) -> fields(r, n).names(), "[]",
                        "1 spec.enabeld: unknown field; did you mean enabled? (valid here: name, enabled, tags, interval, when)"),
                bad("an unknown key that resembles nothing lists the known ones", "colour: red\n", (r, n) -> fields(r, n).names(), "[]",
                        "1 spec.colour: unknown field (valid here: name, enabled, tags, interval, when)"),
                bad("a key given twice is an error at the second, naming the first", "name: a\nname: b\n", (r, n) -> fields(r, n).string("name"), "a",
                        "2 spec.name: appears twice (also line 1); keep one"),
                bad("a key that is not a string is an error", "[a]: b\nname: c\n", (r, n) -> fields(r, n).string("name"), "c",
                        "1 spec: a key must be a non-empty string, got a list"),
                bad("an unknown key at the root has no parent in its path", "nme: a\n", (r, n) -> r.fields((MappingNode) n, "", FIELDS).names(), "[]",
                        "1 nme: unknown field; did you mean name? (valid here: name, enabled, tags, interval, when)"),
                // strings
                ok("a string is read", "name: web\n", (r, n) -> fields(r, n).string("name"), "web"),
                bad("an unquoted number where a string belongs is an error that says to quote it", "name: 8443\n",
                        (r, n) -> fields(r, n).string("name"), "null", "1 spec.name: expected a string, got number 8443; quote it: \"8443\""),
                bad("an empty string is an error", "name: \"\"\n", (r, n) -> fields(r, n).string("name"), "null", "1 spec.name: is empty; give a value"),
                bad("a null where a string belongs is an error", "name:\n", (r, n) -> fields(r, n).string("name"), "null", "1 spec.name: is empty; give a value"),
                bad("a list where a string belongs is an error", "name: [a]\n", (r, n) -> fields(r, n).string("name"), "null",
                        "1 spec.name: expected a string, got a list"),
                ok("an optional string that is absent is null without an error", "enabled: true\n", (r, n) -> fields(r, n).string("name"), "null"),
                bad("a required string that is absent is an error at its mapping's line", "\n\nenabled: true\n",
                        (r, n) -> fields(r, n).requiredString("name", "give the name, e.g. name: web"), "null", "3 spec.name: missing; give the name, e.g. name: web"),
                // booleans
                ok("true and false are booleans", "enabled: false\n", (r, n) -> fields(r, n).bool("enabled"), "false"),
                ok("an absent boolean is false", "name: a\n", (r, n) -> fields(r, n).bool("enabled"), "false"),
                bad("yes is ambiguous YAML, not a boolean", "enabled: yes\n", (r, n) -> fields(r, n).bool("enabled"), "false",
                        "1 spec.enabled: \"yes\" is ambiguous YAML; write true or false"),
                bad("a quoted true is a string, not a boolean", "enabled: \"true\"\n", (r, n) -> fields(r, n).bool("enabled"), "false",
                        "1 spec.enabled: expected true or false, got string \"true\"; write enabled: true"),
                // mappings and lists
                ok("a mapping is a mapping", "when: {a: b}\n", (r, n) -> r.mapping(fields(r, n).node("when"), "spec.when") != null, "true"),
                bad("a list where a mapping belongs is an error", "when: [a]\n", (r, n) -> r.mapping(fields(r, n).node("when"), "spec.when"), "null",
                        "1 spec.when: expected a mapping (key: value lines), got a list"),
                bad("a root that is not a mapping is an error that says how the document starts", "- a\n", (r, n) -> r.mapping(n, ""), "null",
                        "1 : expected a mapping (key: value lines), got a list; start the document with name: or tags:"),
                ok("a list of strings is read in order", "tags: [b, a]\n", (r, n) -> fields(r, n).stringList("tags", (v, node, p) -> true), "[b, a]"),
                bad("a scalar where a list belongs is an error", "tags: a\n", (r, n) -> fields(r, n).stringList("tags", (v, node, p) -> true), "null",
                        "1 spec.tags: expected a list, got string \"a\"; write it as [a, b] or as lines starting with '- '"),
                bad("a list with a wrong item is null, every wrong item reported at its index", "tags: [a, 1, {}]\n",
                        (r, n) -> fields(r, n).stringList("tags", (v, node, p) -> true), "null",
                        "1 spec.tags[1]: expected a string, got number 1; quote it: \"1\"", "1 spec.tags[2]: expected a string, got a mapping"),
                bad("an item the schema refuses makes the list null", "tags: [a, B]\n", (r, n) -> fields(r, n).stringList("tags", (v, node, p) -> {
                    if (!v.equals(v.toLowerCase())) {
                        r.error(StrictYamlReader.line(node), p, "use lower case");
                        return false;
                    }
                    return true;
                }), "null", "1 spec.tags[1]: use lower case"),
                // durations
                ok("a duration is a number and a unit", "interval: 10m\n", (r, n) -> interval(r, n), "PT10M"),
                ok("an absent duration is the default", "name: a\n", (r, n) -> interval(r, n), "PT1H"),
                bad("a duration without a unit is an error and the default", "interval: \"10\"\n", (r, n) -> interval(r, n), "PT1H",
                        "1 spec.interval: \"10\" is not a duration; write a number and a unit, e.g. 30s, 10m or 1h"),
                bad("a duration out of range is an error and the default", "interval: 2s\n", (r, n) -> interval(r, n), "PT1H",
                        "1 spec.interval: \"2s\" is out of range; use between PT30S and PT24H"),
                // plain trees of data
                ok("data within the value limit is read as plain values", "when: {keys: [{kty: EC, x: 1}]}\n",
                        (r, n) -> StrictYamlReader.plainTree(fields(r, n).node("when"), 10), "Optional[{keys=[{kty=EC, x=1}]}]"),
                ok("data over the value limit once aliases are written out is refused",
                        "when: &a {k: [&b [x, x, x], *b, *b]}\n", (r, n) -> StrictYamlReader.plainTree(fields(r, n).node("when"), 12), "Optional.empty"));
    }

    private static Duration interval(StrictYamlReader r, Node n) {
        return fields(r, n).duration("interval", Duration.ofHours(1), Duration.ofSeconds(30), Duration.ofDays(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void readsStrictly(Row row) {
        StrictYamlReader reader = new StrictYamlReader("test document", 3, "name: or tags:");
        Node root = reader.compose(row.yaml());
        Object value = reader.errors().isEmpty() ? row.read().apply(reader, root) : null;
        assertEquals(row.errors(), reader.errors().sorted().stream().map(e -> e.line() + " " + e.path() + ": " + e.message()).toList());
        assertEquals(row.value(), String.valueOf(value));
    }

    @Test
    void aDocumentOverTheCharacterLimitIsRefusedWithTheLimitNamed() {
        StrictYamlReader reader = new StrictYamlReader("test document", 3, "name:");
        assertNull(reader.compose("name: " + "x".repeat(3 * 1024 * 1024) + "\n"));
        YamlError e = reader.errors().sorted().get(0);
        assertTrue(e.message().startsWith("the document is over the limit of 3145728 characters"), e.message());
    }

    @Test
    void anEmptyTextAndAnEmptyMappingAreEmptyDocuments() {
        StrictYamlReader reader = new StrictYamlReader("test document", 3, "name:");
        assertTrue(StrictYamlReader.isEmpty(reader.compose("")));
        assertTrue(StrictYamlReader.isEmpty(reader.compose("{}\n")));
        assertEquals(false, StrictYamlReader.isEmpty(reader.compose("name: a\n")));
        assertTrue(reader.errors().isEmpty());
    }

    @Test
    void errorsAreSortedByLineThenPathAndKeepTheirOrderAtTheSamePlace() {
        YamlErrors errors = new YamlErrors();
        errors.add(2, "b", "first at 2 b");
        errors.add(1, "z", "at 1");
        errors.add(2, "a", "at 2 a");
        errors.add(2, "b", "second at 2 b");
        assertEquals(List.of("at 1", "at 2 a", "first at 2 b", "second at 2 b"), errors.sorted().stream().map(YamlError::message).toList());
    }

    record Suggestion(String name, String given, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Suggestion> suggestions() {
        return Stream.of(
                new Suggestion("a one-letter typo suggests the name", "ingresFrom", "ingressFrom"),
                new Suggestion("a different case suggests the name", "PORTS", "ports"),
                new Suggestion("a singular suggests the plural", "rule", "rules"),
                new Suggestion("a name nothing resembles suggests nothing", "severity", null),
                new Suggestion("a long name is close within a third of its length", "immutableSelectors", "immutableNamespaceSelectors"),
                new Suggestion("a short name is close within two edits only", "pots", "ports"),
                new Suggestion("three edits from a short name is not close", "pxyz", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("suggestions")
    void suggestsTheNearestNameOnlyWhenItIsClose(Suggestion s) {
        assertEquals(s.expected(), Suggestions.nearest(s.given(), List.of("ingressFrom", "egressTo", "ports", "rules", "immutableNamespaceSelectors")));
    }

    @Test
    void anOptionalNodeThatIsAbsentIsNull() {
        StrictYamlReader reader = new StrictYamlReader("test document", 3, "name:");
        Fields f = fields(reader, reader.compose("name: a\n"));
        assertNull(f.node("tags"));
        assertEquals(Optional.empty(), Optional.ofNullable(f.stringList("tags", (v, n, p) -> true)));
        assertTrue(reader.errors().isEmpty());
    }
}
