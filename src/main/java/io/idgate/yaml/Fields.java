package io.idgate.yaml;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

/**
 * The known keys of one mapping (from {@link StrictYamlReader#fields}), with typed, optional-or-required
 * access. Unknown and duplicate keys were already reported, so a section reads only what it knows.
 */
public final class Fields {

    private final StrictYamlReader reader;
    private final MappingNode mapping;
    private final String path;
    private final Map<String, NodeTuple> known;

    Fields(StrictYamlReader reader, MappingNode mapping, String path, Map<String, NodeTuple> known) {
        this.reader = reader;
        this.mapping = mapping;
        this.path = path;
        this.known = known;
    }

    public boolean has(String name) {
        return known.containsKey(name);
    }

    /** The value node of {@code name}; null when absent. */
    public Node node(String name) {
        NodeTuple t = known.get(name);
        return t == null ? null : t.getValueNode();
    }

    /** The field path of {@code name} under this mapping. */
    public String path(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The known keys present, in document order. */
    public Set<String> names() {
        return known.keySet();
    }

    public int size() {
        return known.size();
    }

    public boolean isEmpty() {
        return known.isEmpty();
    }

    /** The mapping these fields belong to (its line is where "missing" errors point). */
    public MappingNode mapping() {
        return mapping;
    }

    /** An optional boolean: false when absent, and (with an error) when not {@code true} or {@code false}. */
    public boolean bool(String name) {
        return has(name) && reader.bool(node(name), name, path(name));
    }

    /** An optional string: null when absent, and (with an error) when not a non-empty string. */
    public String string(String name) {
        return has(name) ? reader.string(node(name), path(name)) : null;
    }

    /** A required string: null with "missing; {@code hint}" at the mapping's line when absent. */
    public String requiredString(String name, String hint) {
        if (!has(name)) {
            reader.error(StrictYamlReader.line(mapping), path(name), "missing; " + hint);
            return null;
        }
        return reader.string(node(name), path(name));
    }

    /** An optional list of strings, each checked: null when absent or wrong. */
    public List<String> stringList(String name, StrictYamlReader.ItemCheck check) {
        return has(name) ? reader.stringList(node(name), path(name), check) : null;
    }

    /** An optional duration within {@code [min, max]}: {@code dflt} when absent or (with an error) wrong. */
    public Duration duration(String name, Duration dflt, Duration min, Duration max) {
        return has(name) ? reader.duration(node(name), path(name), dflt, min, max) : dflt;
    }
}
