package io.idgate.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads Kubernetes objects from YAML or JSON: files, directories (recursively, {@code .yaml},
 * {@code .yml} and {@code .json}, in name order), multi-document files and {@code kind: List}.
 * Plain Java, so the server's standalone mode and the CLI read manifests the same way.
 *
 * <p>A document that is not a Kubernetes object (no {@code kind} or {@code apiVersion}: a Helm values
 * file, a tool's output lying in the same directory) is skipped and named once to the {@code skipped}
 * sink, not refused: a directory of real-world manifests holds such files.
 */
public final class ManifestReader {

    private static final ObjectMapper YAML = new YAMLMapper();

    private ManifestReader() {}

    /** Every object under {@code path} (a file or a directory); documents that are not objects are skipped silently. */
    public static List<Manifest> read(Path path) {
        return read(path, skipped -> {});
    }

    /** Every object under {@code path}; each document that is not a Kubernetes object is named to {@code skipped}. */
    public static List<Manifest> read(Path path, Consumer<String> skipped) {
        if (!Files.exists(path)) {
            throw new ManifestException(path + ": no such file or directory");
        }
        List<Manifest> out = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.walk(path)) {
                for (Path file : files.filter(Files::isRegularFile).filter(ManifestReader::isManifestFile).sorted().toList()) {
                    out.addAll(readFile(file, skipped));
                }
            } catch (IOException e) {
                throw new ManifestException(path + ": cannot list directory (" + e.getMessage() + ")");
            }
        } else {
            out.addAll(readFile(path, skipped));
        }
        return List.copyOf(out);
    }

    static boolean isManifestFile(Path file) {
        String name = file.getFileName().toString();
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    private static List<Manifest> readFile(Path file, Consumer<String> skipped) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in, skipped);
        } catch (IOException e) {
            throw new ManifestException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Every object in a stream of YAML documents (JSON is YAML too); {@code source} names it in messages. */
    public static List<Manifest> read(String source, InputStream in) {
        return read(source, in, skipped -> {});
    }

    /** As {@link #read(String, InputStream)}, naming each document that is not a Kubernetes object to {@code skipped}. */
    public static List<Manifest> read(String source, InputStream in, Consumer<String> skipped) {
        List<Manifest> out = new ArrayList<>();
        int document = 0;
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(in)) {
            while (docs.hasNextValue()) {
                document++;
                // the parser stands on the document's first token: the line reports point at
                var start = docs.getParser().currentTokenLocation();
                int line = start == null ? 0 : Math.max(start.getLineNr(), 0);
                JsonNode doc = docs.nextValue();
                if (doc == null || doc.isNull() || doc.isMissingNode() || (doc.isTextual() && doc.asText().isEmpty())) {
                    continue; // an empty document between two '---'
                }
                if (!isObject(doc)) {
                    skipped.accept(source + " (document " + document + "): skipped, not a Kubernetes object (it has no kind)");
                    continue;
                }
                if ("List".equals(doc.path("kind").asText()) || doc.path("kind").asText().endsWith("List") && doc.has("items")) {
                    int item = 0;
                    for (JsonNode child : doc.path("items")) {
                        if (!isObject(child)) {
                            skipped.accept(source + " (document " + document + "): items[" + item
                                    + "] skipped, not a Kubernetes object (it has no kind)");
                        } else {
                            out.add(new Manifest(source, document, child, line));
                        }
                        item++;
                    }
                } else {
                    out.add(new Manifest(source, document, doc, line));
                }
            }
        } catch (JsonProcessingException e) {
            throw new ManifestException(syntaxError(source, Math.max(document, 1), e));
        } catch (IOException e) {
            throw new ManifestException(source + ": cannot read (" + e.getMessage() + ")");
        } catch (RuntimeException e) {
            if (e instanceof ManifestException) {
                throw e;
            }
            throw new ManifestException(source + " (document " + Math.max(document, 1) + "): not valid YAML");
        }
        return out;
    }

    /**
     * {@code file:line:column (document N): not valid YAML: <the parser's problem> (<its context>)}: one
     * line with where and what, e.g. {@code expected ',' or '}', but got <block mapping start>}; the
     * line alone leaves a user guessing at an indentation or a bracket.
     */
    static String syntaxError(String source, int document, JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException m && m.getProblem() != null) {
                Mark at = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
                String context = m.getContext() == null ? "" : " (" + m.getContext().strip()
                        + (m.getContextMark() == null ? "" : " at line " + (m.getContextMark().getLine() + 1) + ", column "
                                + (m.getContextMark().getColumn() + 1)) + ")";
                return source + (at == null ? "" : ":" + (at.getLine() + 1) + ":" + (at.getColumn() + 1)) + " (document " + document
                        + "): not valid YAML: " + oneLine(m.getProblem()) + oneLine(context);
            }
        }
        var loc = e.getLocation();
        return source + (loc == null ? "" : ":" + loc.getLineNr() + ":" + loc.getColumnNr()) + " (document " + document
                + "): not valid YAML: " + firstLine(e.getOriginalMessage());
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\n\\s*", " ");
    }

    private static boolean isObject(JsonNode doc) {
        return doc.isObject() && !doc.path("kind").asText("").isEmpty(); // apiVersion alone is not required: older tools omit it
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "malformed document";
        }
        int newline = message.indexOf('\n');
        return newline >= 0 ? message.substring(0, newline) : message;
    }
}
