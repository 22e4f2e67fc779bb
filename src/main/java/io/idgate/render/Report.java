package io.idgate.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.engine.Finding;
import io.idgate.engine.GuardrailInputs;
import io.idgate.engine.Message;
import io.idgate.guardrails.Action;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * The findings of one {@code check} or {@code audit} run, its exit code, and its renderings: text (the
 * webhook's lines, for people), JSON (for scripts), JUnit XML (one test case per object, for CI
 * systems), SARIF ({@link SarifReport}, for code-scanning tools) and PolicyReports
 * ({@link PolicyReports}, for policy tooling in the cluster).
 */
public final class Report {

    public static final int EXIT_OK = 0;
    public static final int EXIT_DENIED = 1;
    public static final int EXIT_UNUSABLE = 2;

    /** Output formats of {@code -o}. */
    public enum Format {
        text,
        json,
        junit,
        sarif,
        policyreport
    }

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private final String command;
    private final List<Finding> findings;
    private final List<String> errors;
    private final List<String> notes;
    private final List<String> warnings;
    private final GuardrailInputs.Summary guardrails;
    private final boolean strict;

    public Report(String command, List<Finding> findings, List<String> errors, List<String> notes, boolean strict) {
        this(command, findings, errors, notes, List.of(), null, strict);
    }

    /**
     * @param warnings   about the run as a whole (no guardrails loaded): printed, and failing with --strict
     * @param guardrails what guardrails the run judged against; null when the inputs were unusable before that was known
     */
    public Report(String command, List<Finding> findings, List<String> errors, List<String> notes, List<String> warnings,
            GuardrailInputs.Summary guardrails, boolean strict) {
        this.command = command;
        this.findings = List.copyOf(findings);
        this.errors = List.copyOf(errors);
        this.notes = List.copyOf(notes);
        this.warnings = List.copyOf(warnings);
        this.guardrails = guardrails;
        this.strict = strict;
    }

    /**
     * 2 when an input was unusable, else 1 when a deny line (with --strict: any line, or a warning about
     * the run such as no guardrails loaded) was found, else 0.
     */
    public int exitCode() {
        if (!errors.isEmpty()) {
            return EXIT_UNUSABLE;
        }
        return findings.stream().anyMatch(this::fails) || strict && !warnings.isEmpty() ? EXIT_DENIED : EXIT_OK;
    }

    private boolean fails(Finding f) {
        return strict ? !f.messages().isEmpty() : f.has(Action.DENY);
    }

    private boolean fails(Message m) {
        return strict || m.severity() == Action.DENY;
    }

    public String command() {
        return command;
    }

    public List<Finding> findings() {
        return findings;
    }

    /** Problems that made the inputs unusable (exit 2). */
    public List<String> errors() {
        return errors;
    }

    public List<String> notes() {
        return notes;
    }

    /** Warnings about the run as a whole; they fail it with --strict. */
    public List<String> warnings() {
        return warnings;
    }

    /** The guardrails judged against, or null when not known. */
    public GuardrailInputs.Summary guardrails() {
        return guardrails;
    }

    public boolean strict() {
        return strict;
    }

    /** {@code denied}, {@code warned}, {@code audited} or {@code ok}: the most severe line of the object. */
    static String result(Finding f) {
        return f.has(Action.DENY) ? "denied" : f.has(Action.WARN) ? "warned" : f.has(Action.AUDIT) ? "audited" : "ok";
    }

    /** The {@code -o json} document (also the body of the query API's explain). */
    public String json() {
        return render(Format.json);
    }

    /** As {@link #render(Format, String, Instant)} for formats that carry no tool version and no time. */
    public String render(Format format) {
        return render(format, "unknown", Instant.EPOCH);
    }

    /**
     * @param toolVersion idgate's version, for SARIF's tool driver
     * @param at          when the findings were made, for PolicyReport result timestamps
     */
    public String render(Format format, String toolVersion, Instant at) {
        return switch (format) {
            case text -> text();
            case json -> renderJson();
            case junit -> junit();
            case sarif -> SarifReport.render(this, toolVersion);
            case policyreport -> PolicyReports.render(this, at);
        };
    }

    /** The guardrail summary, notes, warnings and errors, for stderr (the other formats carry them in the document too). */
    public void diagnostics(PrintWriter err) {
        if (guardrails != null) {
            err.println(guardrails.line());
        }
        notes.forEach(n -> err.println("note: " + n));
        warnings.forEach(w -> err.println("warning: " + w + (strict ? " (--strict: this fails the run)" : "")));
        errors.forEach(e -> err.println("error: " + e));
        if (!errors.isEmpty()) {
            err.println("error: unusable input (" + errors.size() + " problem" + (errors.size() == 1 ? "" : "s") + "); fix "
                    + (errors.size() == 1 ? "it" : "them") + " and run again");
        }
    }

    private Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String r : List.of("denied", "warned", "audited", "ok")) {
            counts.put(r, findings.stream().filter(f -> result(f).equals(r)).count());
        }
        return counts;
    }

    private String text() {
        StringWriter s = new StringWriter();
        PrintWriter out = new PrintWriter(s);
        for (Finding f : findings) {
            out.printf("%-8s %s  %s%n", result(f), f.title(), f.location());
            for (Message m : f.messages()) {
                out.println("  " + (m.severity() == Action.DENY ? "" : m.severity().wire() + ": ") + m.text());
            }
            if (f.identity() != null && !f.identity().labels().isEmpty()) {
                out.println("  labels:");
                f.identity().labels().forEach((k, v) -> out.println("    " + k + "=" + v));
            }
        }
        Map<String, Long> counts = counts();
        out.printf("idgate %s: %d object%s: %s; exit %d%s%n", command, findings.size(), findings.size() == 1 ? "" : "s",
                counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", ")),
                exitCode(), switch (exitCode()) {
                    case EXIT_OK -> "";
                    case EXIT_DENIED -> strict ? " (--strict: warnings and audit lines fail too)" : " (deny violations)";
                    default -> " (unusable input, see the errors on stderr)";
                });
        out.flush();
        return s.toString();
    }

    private String renderJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("command", command).put("strict", strict).put("exitCode", exitCode());
        ObjectNode summary = root.putObject("summary").put("objects", findings.size());
        counts().forEach(summary::put);
        if (guardrails != null) {
            ObjectNode g = root.putObject("guardrails");
            guardrails.configMaps().forEach(g.putArray("configMaps")::add);
            g.put("rules", guardrails.rules()).put("groups", guardrails.groups());
        }
        errors.forEach(root.putArray("errors")::add);
        warnings.forEach(root.putArray("warnings")::add);
        notes.forEach(root.putArray("notes")::add);
        ArrayNode objects = root.putArray("objects");
        for (Finding f : findings) {
            ObjectNode o = objects.addObject();
            o.put("kind", f.kind()).put("namespace", f.namespace()).put("name", f.name()).put("source", f.source());
            if (f.document() > 0) {
                o.put("document", f.document());
            }
            o.put("result", result(f)).put("webhookAllows", f.webhookAllows());
            ArrayNode messages = o.putArray("messages");
            for (Message m : f.messages()) {
                ObjectNode mo = messages.addObject().put("severity", m.severity().wire()).put("text", m.text());
                if (m.violation() != null) {
                    mo.put("rule", m.violation().rule()).put("configMap", m.violation().configMap())
                            .put("path", m.violation().fieldPath()).put("problem", m.violation().problem()).put("fix", m.violation().fix());
                }
            }
            if (f.identity() != null) {
                f.identity().labels().forEach(o.putObject("labels")::put);
                f.identity().annotations().forEach(o.putObject("annotations")::put);
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serialises", e);
        }
    }

    /**
     * JUnit XML as Jenkins, GitLab and GitHub reporters read it: one {@code testsuite}, one
     * {@code testcase} per object (classname = its file, so reports group by file), a {@code failure}
     * carrying the failing lines, the other lines and the labels in {@code system-out}, and one
     * {@code error} test case per unusable input.
     */
    private String junit() {
        StringWriter s = new StringWriter();
        try {
            XMLStreamWriter x = XMLOutputFactory.newInstance().createXMLStreamWriter(s);
            // with --strict a warning about the run fails it, so the report shows it as a failed test too
            List<String> failingWarnings = strict ? warnings : List.of();
            long failures = findings.stream().filter(this::fails).count() + failingWarnings.size();
            int tests = findings.size() + errors.size() + failingWarnings.size();
            x.writeStartDocument("UTF-8", "1.0");
            x.writeCharacters("\n");
            x.writeStartElement("testsuites");
            attrs(x, "name", "idgate " + command, "tests", tests, "failures", failures, "errors", errors.size());
            x.writeCharacters("\n  ");
            x.writeStartElement("testsuite");
            attrs(x, "name", "idgate " + command, "tests", tests, "failures", failures, "errors", errors.size(), "skipped", 0, "time", "0");
            for (String error : errors) {
                inputCase(x, "error", "unusable-input", error);
            }
            for (String warning : failingWarnings) {
                inputCase(x, "failure", "warning", warning);
            }
            for (Finding f : findings) {
                x.writeCharacters("\n    ");
                x.writeStartElement("testcase");
                attrs(x, "classname", f.source(), "name", f.title() + (f.document() > 0 ? " (document " + f.document() + ")" : ""), "time", "0");
                List<String> failing = new ArrayList<>();
                List<String> other = new ArrayList<>();
                for (Message m : f.messages()) {
                    (fails(m) ? failing : other).add((m.severity() == Action.DENY ? "" : m.severity().wire() + ": ") + m.text());
                }
                if (!failing.isEmpty()) {
                    x.writeStartElement("failure");
                    attrs(x, "type", result(f), "message", failing.get(0));
                    x.writeCharacters(String.join("\n", failing));
                    x.writeEndElement();
                }
                if (f.identity() != null) {
                    f.identity().labels().forEach((k, v) -> other.add("label " + k + "=" + v));
                }
                if (!other.isEmpty()) {
                    x.writeStartElement("system-out");
                    x.writeCharacters(String.join("\n", other));
                    x.writeEndElement();
                }
                x.writeEndElement();
            }
            x.writeCharacters("\n  ");
            x.writeEndElement();
            x.writeCharacters("\n");
            x.writeEndElement();
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("writing XML to a string cannot fail", e);
        }
        return s + "\n";
    }

    /** A testcase about the input as a whole (classname {@code input}): an unusable input or a warning that fails the run. */
    private static void inputCase(XMLStreamWriter x, String element, String type, String text)
            throws XMLStreamException {
        x.writeCharacters("\n    ");
        x.writeStartElement("testcase");
        attrs(x, "classname", "input", "name", firstLine(text), "time", "0");
        x.writeStartElement(element);
        attrs(x, "type", type, "message", firstLine(text));
        x.writeCharacters(text);
        x.writeEndElement();
        x.writeEndElement();
    }

    private static void attrs(XMLStreamWriter x, Object... pairs) throws XMLStreamException {
        for (int i = 0; i < pairs.length; i += 2) {
            x.writeAttribute((String) pairs[i], String.valueOf(pairs[i + 1]));
        }
    }

    private static String firstLine(String text) {
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
