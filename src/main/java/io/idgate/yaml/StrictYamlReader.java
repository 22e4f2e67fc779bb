package io.idgate.yaml;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads one YAML document strictly, recording every problem in {@link #errors()} with its line and
 * field path. Strict on purpose: unknown keys (with the nearest valid one suggested), duplicate keys,
 * a string where a boolean belongs, {@code yes}/{@code no} for {@code true}/{@code false}, an unquoted
 * number or boolean where a string belongs are all errors. A document that silently means less than
 * its author wrote is worse than one that is rejected.
 *
 * <p>Uses SnakeYAML's node API (composition only, no object construction, so no tags are ever
 * instantiated; SnakeYAML's limit of 50 collection aliases guards against alias bombs, its code point
 * and nesting limits against huge documents). SnakeYAML reports those limits and some scanner errors
 * without a position; the reader finds the line itself, so every error names one.
 *
 * <p>The accessors return null (or the given default) for a value in error, and go on: the caller
 * compares {@link YamlErrors#count()} before and after a part to know whether that part was clean.
 */
public final class StrictYamlReader {

    /** Decides about one item of a string list; records its own error and answers false to reject it. */
    @FunctionalInterface
    public interface ItemCheck {
        boolean accept(String value, Node node, String path);
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    private final YamlErrors errors = new YamlErrors();
    private final String documentName;
    private final int typicalDepth;
    private final String rootKeys;

    /**
     * @param documentName what the document is, for the nesting-limit message, e.g. {@code guardrail document}
     * @param typicalDepth how deep such a document nests, for the same message
     * @param rootKeys     how a document starts, for a root that is not a mapping, e.g. {@code groups: or rules:}
     */
    public StrictYamlReader(String documentName, int typicalDepth, String rootKeys) {
        this.documentName = documentName;
        this.typicalDepth = typicalDepth;
        this.rootKeys = rootKeys;
    }

    public YamlErrors errors() {
        return errors;
    }

    public void error(int line, String path, String message) {
        errors.add(line, path, message);
    }

    // ---- the document

    /**
     * The root node of {@code text}, or null: for a text that holds nothing, and for one that is not YAML
     * or breaks a limit (then with an error).
     */
    public Node compose(String text) {
        LoaderOptions options = new LoaderOptions();
        try {
            options.setAllowRecursiveKeys(false);
            return new Yaml(new SafeConstructor(options)).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : "syntax error";
            error(mark == null ? 0 : mark.getLine() + 1, "", "not valid YAML (" + problem.strip()
                    + "); check the indentation and quoting around this line");
        } catch (org.yaml.snakeyaml.reader.ReaderException e) {
            // a character YAML does not allow (a control character, a lone surrogate): SnakeYAML gives its offset
            int offset = Math.min(Math.max(e.getPosition(), 0), text.length());
            error((int) text.substring(0, offset).chars().filter(c -> c == '\n').count() + 1, "",
                    String.format("character U+%04X is not allowed in YAML; remove it, or write it escaped in a double-quoted string", e.getCodePoint()));
        } catch (YAMLException e) {
            // SnakeYAML gives no position for its limits and some scanner errors: find the line
            String problem = String.valueOf(e.getMessage());
            error(problemLine(text, options), "", limitProblem(e, options).orElse("not valid YAML"
                    // SnakeYAML's own words only when they read as a sentence, never a Java class name
                    + (problem.matches("[A-Za-z][A-Za-z0-9 ,.'()-]*") && !problem.contains("Exception") ? " (" + problem + ")" : "")
                    + "; check the indentation and quoting around this line"));
        }
        return null;
    }

    /** True for a document that holds nothing: no node at all, or an empty mapping. */
    public static boolean isEmpty(Node root) {
        return root == null || (root instanceof MappingNode m && m.getValue().isEmpty());
    }

    /** The reader's limits, which SnakeYAML reports without a position, named with the limit. */
    private Optional<String> limitProblem(YAMLException e, LoaderOptions options) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Number of aliases")) {
            return Optional.of("more than " + options.getMaxAliasesForCollections() + " aliases (*name) of lists or mappings, the limit"
                    + " that stops alias bombs; write the document out without anchors (&name) and aliases");
        }
        if (message.startsWith("Nesting Depth")) {
            return Optional.of("lists and mappings nested deeper than " + options.getNestingDepthLimit() + " levels, the limit;"
                    + " a " + documentName + " nests about " + typicalDepth + " deep, check the indentation and brackets");
        }
        if (message.contains("exceeds the limit")) {
            return Optional.of("the document is over the limit of " + options.getCodePointLimit() + " characters; split it into several keys or ConfigMaps");
        }
        return Optional.empty();
    }

    /**
     * The line of a problem SnakeYAML reports without a position. For the nesting and alias limits,
     * the parser's events are walked again and counted the composer's way; for an error of the reader
     * or scanner, the line of the last event read before it.
     */
    private static int problemLine(String text, LoaderOptions options) {
        int line = 1;
        int depth = 0;
        int aliases = 0;
        Set<String> collectionAnchors = new HashSet<>();
        try {
            for (Event e : new Yaml(new SafeConstructor(options)).parse(new StringReader(text))) {
                line = e.getStartMark() == null ? line : e.getStartMark().getLine() + 1;
                if (e instanceof CollectionStartEvent start) {
                    if (start.getAnchor() != null) {
                        collectionAnchors.add(start.getAnchor());
                    }
                    if (++depth > options.getNestingDepthLimit()) {
                        return e.getStartMark().getLine() + 1;
                    }
                } else if (e instanceof CollectionEndEvent) {
                    depth--;
                } else if (e instanceof AliasEvent alias && collectionAnchors.contains(alias.getAnchor())
                        && ++aliases > options.getMaxAliasesForCollections()) {
                    return e.getStartMark().getLine() + 1;
                }
            }
        } catch (YAMLException e) {
            // the problem is at or after the last event read
        }
        return line;
    }

    // ---- typed access to nodes

    /** {@code n} as a mapping, or null with an error. */
    public MappingNode mapping(Node n, String path) {
        if (n instanceof MappingNode m) {
            return m;
        }
        error(line(n), path, "expected a mapping (key: value lines), got " + describe(n)
                + (path.isEmpty() ? "; start the document with " + rootKeys : ""));
        return null;
    }

    /** {@code n} as a list, or null with an error. */
    public SequenceNode sequence(Node n, String path) {
        if (n instanceof SequenceNode s) {
            return s;
        }
        error(line(n), path, "expected a list, got " + describe(n) + "; write it as [a, b] or as lines starting with '- '");
        return null;
    }

    /**
     * {@code n} as a non-empty string, or null with an error. An unquoted {@code true}, {@code 8443} or
     * {@code 1.5} is not a string: YAML reads it as a boolean or number, so the author is asked to quote it.
     */
    public String string(Node n, String path) {
        if (n instanceof ScalarNode s) {
            Tag tag = s.getTag();
            if (tag.equals(Tag.STR)) {
                if (s.getValue().isEmpty()) {
                    error(line(n), path, "is empty; give a value");
                    return null;
                }
                return s.getValue();
            }
            if (tag.equals(Tag.NULL)) {
                error(line(n), path, "is empty; give a value");
                return null;
            }
            if (tag.equals(Tag.BOOL) || tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
                error(line(n), path, "expected a string, got " + describe(n) + "; quote it: \"" + s.getValue() + "\"");
                return null;
            }
        }
        error(line(n), path, "expected a string, got " + describe(n));
        return null;
    }

    /**
     * {@code value: true} or {@code false} at {@code path}, written {@code field: true} in the fix. YAML 1.1's
     * {@code yes}, {@code on} and friends are refused: whether they mean a boolean depends on the reader.
     */
    boolean bool(Node n, String field, String path) {
        if (n instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
            String v = s.getValue().toLowerCase(Locale.ROOT);
            if (v.equals("true") || v.equals("false")) {
                return v.equals("true");
            }
            error(line(n), path, "\"" + s.getValue() + "\" is ambiguous YAML; write true or false");
            return false;
        }
        error(line(n), path, "expected true or false, got " + describe(n) + "; write " + field + ": true");
        return false;
    }

    /** A list of strings, each checked; null when the list (or any item) is wrong. */
    public List<String> stringList(Node node, String path, ItemCheck check) {
        SequenceNode seq = sequence(node, path);
        if (seq == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < seq.getValue().size(); i++) {
            Node item = seq.getValue().get(i);
            String p = path + "[" + i + "]";
            String v = string(item, p);
            if (v == null || !check.accept(v, item, p)) {
                ok = false;
            } else {
                out.add(v);
            }
        }
        return ok ? out : null;
    }

    /** The scalar text of a mapping key, or null (with an error) when the key is not a plain string. */
    public String keyText(NodeTuple t, String path) {
        Node k = t.getKeyNode();
        if (k instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) && !s.getValue().isEmpty()) {
            return s.getValue();
        }
        error(line(k), path, "a key must be a non-empty string, got " + describe(k));
        return null;
    }

    /**
     * The known keys of {@code m}, in document order. Unknown keys (with a suggestion) and duplicate keys
     * are errors and left out.
     */
    public Fields fields(MappingNode m, String path, List<String> allowed) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String k = keyText(t, path);
            if (k == null) {
                continue;
            }
            String p = path.isEmpty() ? k : path + "." + k;
            if (!allowed.contains(k)) {
                String s = Suggestions.nearest(k, allowed);
                error(line(t.getKeyNode()), p, "unknown field" + (s == null ? "" : "; did you mean " + s + "?")
                        + " (valid here: " + String.join(", ", allowed) + ")");
            } else if (out.containsKey(k)) {
                error(line(t.getKeyNode()), p, "appears twice (also line " + line(out.get(k).getKeyNode()) + "); keep one");
            } else {
                out.put(k, t);
            }
        }
        return new Fields(this, m, path, out);
    }

    /**
     * A duration such as {@code 30s}, {@code 10m}, {@code 1h} or {@code 250ms} within {@code [min, max]};
     * {@code dflt} when absent or (with an error) wrong.
     */
    Duration duration(Node n, String path, Duration dflt, Duration min, Duration max) {
        String v = string(n, path);
        if (v == null) {
            return dflt;
        }
        Matcher m = DURATION.matcher(v);
        if (!m.matches()) {
            error(line(n), path, "\"" + v + "\" is not a duration; write a number and a unit, e.g. 30s, 10m or 1h");
            return dflt;
        }
        long amount = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            error(line(n), path, "\"" + v + "\" is out of range; use between " + min + " and " + max);
            return dflt;
        }
        return d;
    }

    /**
     * {@code node} as plain JDK values (mappings as insertion-ordered maps with string keys, lists, every
     * scalar a string), for a part of a document that is data rather than schema; empty when it holds more
     * than {@code maxValues} values. The bound matters because aliases are shared nodes: under SnakeYAML's
     * limit of 50 aliases, three to a level still write out to 14 million values.
     */
    public static Optional<Object> plainTree(Node node, int maxValues) {
        try {
            return Optional.of(plain(node, new int[] {maxValues}));
        } catch (TooManyValues e) {
            return Optional.empty();
        }
    }

    /** Stops {@link #plain} at its budget; no stack trace, it is control flow. */
    private static final class TooManyValues extends RuntimeException {
        TooManyValues() {
            super(null, null, false, false);
        }
    }

    private static Object plain(Node node, int[] budget) {
        if (--budget[0] < 0) {
            throw new TooManyValues();
        }
        if (node instanceof MappingNode m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    out.put(k.getValue(), plain(t.getValueNode(), budget));
                }
            }
            return out;
        }
        if (node instanceof SequenceNode seq) {
            List<Object> out = new ArrayList<>();
            for (Node n : seq.getValue()) {
                out.add(plain(n, budget));
            }
            return out;
        }
        return ((ScalarNode) node).getValue();
    }

    /** How a message names a node's type and value: {@code a mapping}, {@code boolean yes}, {@code string "x"}. */
    public static String describe(Node n) {
        if (n instanceof MappingNode) {
            return "a mapping";
        }
        if (n instanceof SequenceNode) {
            return "a list";
        }
        ScalarNode s = (ScalarNode) n;
        Tag tag = s.getTag();
        if (tag.equals(Tag.NULL)) {
            return "nothing";
        }
        if (tag.equals(Tag.BOOL)) {
            return "boolean " + s.getValue();
        }
        if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
            return "number " + s.getValue();
        }
        return "string \"" + s.getValue() + "\"";
    }

    /** The 1-based line where {@code n} starts, 0 when SnakeYAML gave no position. */
    public static int line(Node n) {
        return n.getStartMark() == null ? 0 : n.getStartMark().getLine() + 1;
    }
}
