package io.idgate.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.admission.AdmissionRequest;
import io.idgate.admission.AdmissionReviewDecoder;
import io.idgate.admission.AdmissionServer;
import io.idgate.netpol.LabelSyntax;
import io.idgate.identity.LabelValues;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every answer of an admission endpoint must satisfy, whatever the body (docs/reference.md "Endpoints"): HTTP 200 or
 * 400 and nothing else; a 400 is a Status whose message names the problem; a 200 is an AdmissionReview
 * with the request's uid; messages carry no Java internals; a patch is RFC 6902 on metadata maps whose
 * label keys and values are valid.
 */
final class AdmissionInvariants {

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    /** Java text that must never reach a caller: exception names, package-qualified names, Jackson's constraint accessors. */
    private static final Pattern INTERNALS = Pattern.compile(
            "\\b[A-Z][A-Za-z]*(Exception|Error)\\b|\\b(java|javax|jdk|sun|com\\.fasterxml|org\\.yaml|io\\.fabric8|io\\.idgate|io\\.vertx)\\.[a-z]"
                    + "|`?[A-Za-z]+\\.get[A-Za-z]+\\(\\)`?|\\bat [a-z]+\\.[a-z]+\\.");

    /** serve()'s catch-all for an exception no code path expected; the log has the stack trace, the caller a vague message. */
    static final String UNEXPECTED = "request could not be read";

    private AdmissionInvariants() {}

    /** Checks {@code answer} to {@code body}; returns the decoded request when the answer is a 200, else null. */
    static AdmissionRequest check(byte[] body, AdmissionServer.Answer answer) {
        JsonNode out = read(answer.body(), "answer body");
        String input = new String(body, StandardCharsets.UTF_8);
        if (answer.status() == 400) {
            require("Status".equals(out.path("kind").asText()) && out.path("code").asInt() == 400, "a 400 must carry a Status with code 400: " + out);
            String message = out.path("message").asText("");
            require(!message.isBlank(), "a 400 must say what is wrong: " + out);
            require(!message.equals(UNEXPECTED), "an unexpected exception was turned into the catch-all 400 (stack trace in the log)");
            noInternals(message, input);
            return null;
        }
        require(answer.status() == 200, "HTTP " + answer.status() + " (only 200 and 400 are allowed): " + out);
        AdmissionRequest request = AdmissionReviewDecoder.decode(body); // a 200 means the body decoded
        require(AdmissionReviewDecoder.API_VERSION.equals(out.path("apiVersion").asText()) && "AdmissionReview".equals(out.path("kind").asText()),
                "a 200 must be an AdmissionReview v1: " + out);
        JsonNode response = out.path("response");
        require(request.uid().equals(response.path("uid").textValue()), "response.uid must be the request's uid " + request.uid() + ": " + out);
        require(response.path("allowed").isBoolean(), "response.allowed must be a boolean: " + out);
        JsonNode status = response.path("status");
        if (!status.isMissingNode()) {
            require(status.path("code").asInt() != 500, "internal error (a bug; stack trace in the log): " + out);
            require(status.path("code").asInt() == 403 && !response.path("allowed").asBoolean(), "a refusal is a 403 with allowed=false: " + out);
            require(!status.path("message").asText("").isBlank(), "a refusal must say why: " + out);
            noInternals(status.path("message").asText(), input);
        } else {
            require(response.path("allowed").asBoolean(), "allowed=false without a status: " + out);
        }
        for (JsonNode warning : response.path("warnings")) {
            require(warning.isTextual() && !warning.asText().isBlank(), "a warning must be text: " + out);
            noInternals(warning.asText(), input);
        }
        if (response.has("patch")) {
            require("JSONPatch".equals(response.path("patchType").asText()), "a patch needs patchType JSONPatch: " + out);
            JsonNode patch = read(Base64.getDecoder().decode(response.path("patch").asText()), "patch");
            checkPatch(patch);
        }
        return request;
    }

    /** The decoded patch of a 200, or an empty array. */
    static JsonNode patch(AdmissionServer.Answer answer) {
        JsonNode patch = read(answer.body(), "answer body").path("response").path("patch");
        return patch.isTextual() ? read(Base64.getDecoder().decode(patch.asText()), "patch") : JSON.createArrayNode();
    }

    private static void checkPatch(JsonNode patch) {
        require(patch.isArray() && !patch.isEmpty(), "a patch is a non-empty JSON array: " + patch);
        for (JsonNode op : patch) {
            String kind = op.path("op").asText();
            String path = op.path("path").asText("");
            require(op.size() == (kind.equals("remove") ? 2 : 3) && (kind.equals("add") || kind.equals("replace") || kind.equals("remove")),
                    "only add/replace/remove with op, path (and value): " + op);
            require(path.equals("/metadata") || path.startsWith("/metadata/labels") || path.startsWith("/metadata/annotations"),
                    "the patch touches metadata maps only: " + op);
            if (kind.equals("remove")) {
                continue;
            }
            JsonNode value = op.get("value");
            if (path.equals("/metadata")) {
                labels(value.path("labels"), op);
                annotations(value.path("annotations"), op);
            } else if (path.equals("/metadata/labels")) {
                labels(value, op);
            } else if (path.equals("/metadata/annotations")) {
                annotations(value, op);
            } else {
                String section = path.startsWith("/metadata/labels/") ? "/metadata/labels/" : "/metadata/annotations/";
                String key = unescape(path.substring(section.length()));
                require(!key.contains("/") || path.substring(section.length()).contains("~1"), "a / in a key must be escaped as ~1: " + op);
                require(value.isTextual(), "a label or annotation value is a string: " + op);
                if (section.equals("/metadata/labels/")) {
                    label(key, value.asText(), op);
                } else {
                    key(key, op);
                }
            }
        }
    }

    private static void labels(JsonNode map, JsonNode op) {
        if (map.isMissingNode()) {
            return;
        }
        require(map.isObject() && !map.isEmpty(), "a whole label map is a non-empty object: " + op);
        map.fields().forEachRemaining(e -> {
            require(e.getValue().isTextual(), "label values are strings: " + op);
            label(e.getKey(), e.getValue().asText(), op);
        });
    }

    private static void annotations(JsonNode map, JsonNode op) {
        if (map.isMissingNode()) {
            return;
        }
        require(map.isObject() && !map.isEmpty(), "a whole annotation map is a non-empty object: " + op);
        map.fields().forEachRemaining(e -> {
            require(e.getValue().isTextual(), "annotation values are strings: " + op);
            key(e.getKey(), op);
        });
    }

    private static void label(String key, String value, JsonNode op) {
        key(key, op);
        require(LabelValues.isValid(value), "label value \"" + value + "\" of " + key + " is not a valid label value: " + op);
    }

    private static void key(String key, JsonNode op) {
        LabelSyntax.keyProblem(key).ifPresent(problem -> {
            throw new AssertionError("idgate wrote an invalid key: " + problem + ": " + op);
        });
    }

    /** Fails when {@code message} carries Java text that the caller did not send itself. */
    static void noInternals(String message, String input) {
        Matcher m = INTERNALS.matcher(message);
        while (m.find()) {
            require(input.contains(m.group()), "message shows Java internals (" + m.group() + "): " + message);
        }
    }

    /** RFC 6902 add/replace/remove on object members (all idgate emits); fails when a path does not apply. */
    static ObjectNode apply(ObjectNode object, JsonNode patch) {
        ObjectNode doc = object.deepCopy();
        for (JsonNode op : patch) {
            String[] tokens = op.path("path").asText().substring(1).split("/", -1);
            JsonNode parent = doc;
            for (int i = 0; i < tokens.length - 1; i++) {
                parent = parent.get(unescape(tokens[i]));
                require(parent != null && parent.isObject(), "patch path has no parent object: " + op);
            }
            String last = unescape(tokens[tokens.length - 1]);
            ObjectNode target = (ObjectNode) parent;
            switch (op.path("op").asText()) {
                case "add" -> target.set(last, op.get("value"));
                case "replace" -> {
                    require(target.has(last), "replace of a member that is not there: " + op);
                    target.set(last, op.get("value"));
                }
                case "remove" -> require(target.remove(last) != null, "remove of a member that is not there: " + op);
                default -> throw new AssertionError("unexpected op " + op);
            }
        }
        return doc;
    }

    static JsonNode read(byte[] bytes, String what) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new AssertionError(what + " is not JSON: " + new String(bytes, StandardCharsets.UTF_8), e);
        }
    }

    static byte[] write(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static String unescape(String token) {
        return token.replace("~1", "/").replace("~0", "~");
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
