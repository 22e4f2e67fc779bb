package io.idgate.admission;

import io.idgate.k8s.ServiceAccountAuthorizer.Requester;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.k8s.StrictScalars;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Turns request bytes into an {@link AdmissionRequest}, or a {@link BadAdmissionReview} whose message
 * says what is wrong in the caller's terms (never Java exception text).
 */
public final class AdmissionReviewDecoder {

    /**
     * Largest accepted body. etcd stores objects up to 1.5 MiB by default, and a review of an UPDATE
     * carries the object twice, so 3 MiB fits every review the API server can send.
     */
    public static final int MAX_BODY_BYTES = 3 * 1024 * 1024;

    /** Deepest JSON nesting accepted; real pods nest about 10 deep. */
    public static final int MAX_NESTING_DEPTH = 100;

    public static final String API_VERSION = "admission.k8s.io/v1";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
        StrictScalars.apply(MAPPER); // binding a NetworkPolicy: 5 is not the label value "5"
    }

    private AdmissionReviewDecoder() {}

    /** The mapper used for admission JSON (strict: duplicate keys and trailing data are errors). */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static AdmissionRequest decode(byte[] body) {
        return decode(body, ObjectFields.ALL);
    }

    /**
     * {@link #decode(byte[])}, building only the fields {@code objectFields} keeps ({@link ObjectFields}:
     * the whole body is still read and checked, the same errors in the same order).
     */
    public static AdmissionRequest decode(byte[] body, com.fasterxml.jackson.core.filter.TokenFilter objectFields) {
        if (body == null || body.length == 0) {
            throw new BadAdmissionReview("empty body: expected an AdmissionReview (apiVersion " + API_VERSION + ")");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new BadAdmissionReview("body of " + body.length + " bytes is over the limit of " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = objectFields == ObjectFields.ALL ? MAPPER.readTree(body) : readFiltered(body, objectFields);
        } catch (MismatchedInputException e) {
            // the one mismatch readTree reports: FAIL_ON_TRAILING_TOKENS, whose text names Java types
            throw new BadAdmissionReview(("body has more JSON after the AdmissionReview " + where(e)).strip()
                    + "; send exactly one JSON object");
        } catch (StreamConstraintsException e) {
            throw new BadAdmissionReview(("body is over a limit " + where(e)).strip() + ": " + constraint(e));
        } catch (JsonProcessingException e) {
            throw new BadAdmissionReview("body is not valid JSON " + where(e) + ": " + jsonProblem(e)
                    + "; send the AdmissionReview as UTF-8 JSON, as the API server does");
        } catch (IOException e) {
            throw new BadAdmissionReview("body could not be read as JSON");
        }
        int malformed = malformedUtf8At(body);
        if (malformed >= 0) {
            throw new BadAdmissionReview("body is not valid UTF-8 at byte " + malformed + " (line " + lineOf(body, malformed)
                    + "); send the AdmissionReview as UTF-8 JSON, as the API server does");
        }
        if (root == null || !root.isObject()) {
            throw new BadAdmissionReview("body must be a JSON object (an AdmissionReview)");
        }
        String apiVersion = text(root, "", "apiVersion");
        String kind = text(root, "", "kind");
        if (!"AdmissionReview".equals(kind)) {
            throw new BadAdmissionReview("kind is " + describe(kind) + ", expected AdmissionReview");
        }
        if (!API_VERSION.equals(apiVersion)) {
            throw new BadAdmissionReview("apiVersion is " + describe(apiVersion) + ", expected " + API_VERSION
                    + " (set admissionReviewVersions: [v1] in the webhook configuration)");
        }
        JsonNode request = root.get("request");
        if (request == null || !request.isObject()) {
            throw new BadAdmissionReview("request is missing: an AdmissionReview sent to a webhook must have a request object");
        }
        String uid = text(request, "request.", "uid");
        if (uid == null || uid.isBlank()) {
            throw new BadAdmissionReview("request.uid is missing or empty");
        }
        JsonNode kindNode = request.get("kind");
        if (kindNode != null && !kindNode.isNull() && !kindNode.isObject()) {
            throw new BadAdmissionReview("request.kind must be an object {group, version, kind}, got " + kindNode.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        if (kindNode == null || !kindNode.isObject() || text(kindNode, "request.kind.", "kind") == null || text(kindNode, "request.kind.", "version") == null) {
            throw new BadAdmissionReview("request.kind is missing: expected {group, version, kind}");
        }
        var gvk = new AdmissionRequest.GroupVersionKind(
                nullToEmpty(text(kindNode, "request.kind.", "group")), text(kindNode, "request.kind.", "version"), text(kindNode, "request.kind.", "kind"));
        String operationText = text(request, "request.", "operation");
        AdmissionRequest.Operation operation = operation(operationText);
        JsonNode resourceNode = request.path("resource");
        return new AdmissionRequest(
                uid,
                gvk,
                resourceNode.isObject() ? text(resourceNode, "request.resource.", "resource") : null,
                text(request, "request.", "subResource"),
                nullToEmpty(text(request, "request.", "namespace")),
                text(request, "request.", "name"),
                operation,
                requester(request.get("userInfo")),
                request.path("dryRun").asBoolean(false),
                object(request, "object"),
                object(request, "oldObject"));
    }

    /** Trailing data is checked on the reader under the filter, so that its place is told as the whole tree's reader tells it. */
    private static final com.fasterxml.jackson.databind.ObjectReader FILTERED = MAPPER.reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The body's tree with only what {@code filter} keeps; the same errors as {@link ObjectMapper#readTree(byte[])} with trailing tokens refused. */
    private static JsonNode readFiltered(byte[] body, com.fasterxml.jackson.core.filter.TokenFilter filter) throws IOException {
        try (JsonParser parser = MAPPER.getFactory().createParser(body)) {
            JsonNode root = FILTERED.readTree(new com.fasterxml.jackson.core.filter.FilteringParserDelegate(parser, filter,
                    com.fasterxml.jackson.core.filter.TokenFilter.Inclusion.INCLUDE_ALL_AND_PATH, true));
            if (root != null && !root.isMissingNode() && parser.nextToken() != null) {
                throw MismatchedInputException.from(parser, JsonNode.class, "Trailing token after the root value");
            }
            return root;
        }
    }

    /**
     * {@code request.userInfo}: all of it, since the ServiceAccount-use check asks the API server about
     * exactly this requester (groups and extra can decide as much as the username).
     */
    private static Requester requester(JsonNode userInfo) {
        if (userInfo == null || userInfo.isNull()) {
            return null;
        }
        if (!userInfo.isObject()) {
            throw new BadAdmissionReview("request.userInfo must be an object {username, uid, groups, extra}");
        }
        Map<String, List<String>> extra = new TreeMap<>();
        JsonNode extraNode = userInfo.path("extra");
        if (!extraNode.isMissingNode() && !extraNode.isNull() && !extraNode.isObject()) {
            throw new BadAdmissionReview("request.userInfo.extra must be an object of string lists");
        }
        extraNode.fields().forEachRemaining(e -> extra.put(e.getKey(), strings(e.getValue(), "request.userInfo.extra." + e.getKey())));
        String username = text(userInfo, "request.userInfo.", "username");
        return new Requester(username, text(userInfo, "request.userInfo.", "uid"), strings(userInfo.path("groups"), "request.userInfo.groups"), extra);
    }

    private static List<String> strings(JsonNode node, String path) {
        if (node.isMissingNode() || node.isNull()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> out.add(v.isTextual() ? v.textValue() : null));
        }
        if (!node.isArray() || out.contains(null)) {
            throw new BadAdmissionReview(path + " must be a list of strings");
        }
        return out;
    }

    private static AdmissionRequest.Operation operation(String text) {
        if (text == null) {
            throw new BadAdmissionReview("request.operation is missing: expected CREATE, UPDATE, DELETE or CONNECT");
        }
        try {
            return AdmissionRequest.Operation.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new BadAdmissionReview("request.operation " + describe(text) + " is unknown: expected CREATE, UPDATE, DELETE or CONNECT");
        }
    }

    private static ObjectNode object(JsonNode request, String field) {
        JsonNode node = request.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new BadAdmissionReview("request." + field + " must be a JSON object");
        }
        return (ObjectNode) node;
    }

    private static String text(JsonNode node, String path, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadAdmissionReview(path + field + " must be a string, got " + value.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return value.textValue();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String describe(String value) {
        return value == null ? "missing" : "\"" + value + "\"";
    }

    /**
     * The offset of the first byte that is not UTF-8, or -1. Jackson refuses most such bytes itself
     * (naming the field), but reads a 4-byte sequence beyond U+10FFFF (lead byte F5-F7) as characters
     * that do not survive writing the object back: the same bytes must not mean two things.
     */
    private static int malformedUtf8At(byte[] body) {
        int firstNonAscii = 0;
        while (firstNonAscii < body.length && body[firstNonAscii] >= 0) {
            firstNonAscii++;
        }
        if (firstNonAscii == body.length) {
            return -1; // all ASCII, as nearly every review is: nothing to decode
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(8192);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) {
                return in.position();
            }
            if (result.isUnderflow()) {
                return -1;
            }
            out.clear();
        }
    }

    private static int lineOf(byte[] body, int offset) {
        int line = 1;
        for (int i = 0; i < offset; i++) {
            if (body[i] == '\n') {
                line++;
            }
        }
        return line;
    }

    /** {@code at /request/object/metadata/labels (line 1, column 345)}: the JSON pointer of the value being read, and where. */
    private static String where(JsonProcessingException e) {
        String pointer = e.getProcessor() instanceof JsonParser parser && parser.getParsingContext() != null
                ? parser.getParsingContext().pathAsPointer().toString() : "";
        var location = e.getLocation();
        return (pointer.isEmpty() ? "" : "at " + pointer + " ")
                + (location == null ? "" : "(line " + location.getLineNr() + ", column " + location.getColumnNr() + ")");
    }

    /**
     * Which of the reader's limits the body broke, in the caller's terms (Jackson's own message names
     * its Java accessor). Real reviews stay far below all of them.
     */
    private static String constraint(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) {
            return "JSON nested deeper than " + MAX_NESTING_DEPTH + " levels; real objects nest about 10 deep";
        }
        if (message.contains("Number value length") || message.contains("Number length")) {
            return "a number longer than " + StreamReadConstraints.DEFAULT_MAX_NUM_LEN + " digits; no Kubernetes field holds one";
        }
        if (message.contains("Name length")) {
            return "a field name longer than " + StreamReadConstraints.DEFAULT_MAX_NAME_LEN + " characters; no Kubernetes field has one";
        }
        if (message.contains("String value length")) {
            return "a string longer than " + StreamReadConstraints.DEFAULT_MAX_STRING_LEN + " characters";
        }
        return "the JSON exceeds what idgate reads (nesting " + MAX_NESTING_DEPTH + " levels, numbers "
                + StreamReadConstraints.DEFAULT_MAX_NUM_LEN + " digits, names " + StreamReadConstraints.DEFAULT_MAX_NAME_LEN + " characters)";
    }

    /** Jackson's message without the source excerpt and location suffix it appends. */
    private static String jsonProblem(JsonProcessingException e) {
        String message = e.getOriginalMessage();
        if (message == null) {
            return "malformed JSON";
        }
        int newline = message.indexOf('\n');
        message = newline >= 0 ? message.substring(0, newline) : message;
        message = message.replaceAll("\\s*\\(start marker at \\[Source:[^\\]]*\\]\\)", "")
                .replaceAll("\\s*at \\[Source:.*", "");
        return message.length() > 200 ? message.substring(0, 200) + "…" : message;
    }
}
