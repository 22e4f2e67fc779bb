package io.idgate.guardrails;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * How the claims of an issuer's {@code claims:} are found in a verified token and which of their values
 * count (design section 2). A claim reference is a literal top-level name ({@code groups},
 * {@code https://example.com/groups}), or, when it starts with {@code /}, an RFC 6901 JSON Pointer into
 * the payload ({@code /realm_access/roles}). A claim's value is a string or an array of strings;
 * anything else, and every value outside the allow-list, is left out with a warning saying why.
 */
public final class ClaimMapping {

    /** A '~' that does not start an RFC 6901 escape: Jackson's JsonPointer keeps it literally, RFC 6901 has no such pointer. */
    private static final Pattern BAD_ESCAPE = Pattern.compile("~(?![01])");

    /** Values and warnings of one token. */
    public record Mapped(Map<String, Set<String>> claims, List<String> warnings) {}

    private ClaimMapping() {}

    /** Why {@code ref} is not a claim reference, if it is not one. */
    public static Optional<String> problem(String ref) {
        if (ref.startsWith("/") && BAD_ESCAPE.matcher(ref).find()) {
            return Optional.of("\"" + ref + "\" is not a valid JSON Pointer (RFC 6901): '~' must be followed by 0 or 1; write ~0 for a"
                    + " literal ~ and ~1 for a / inside a name");
        }
        return Optional.empty();
    }

    /** Where {@code ref} points in the payload: the pointer itself, or the top-level member of that literal name. */
    public static JsonPointer pointer(String ref) {
        return ref.startsWith("/") ? JsonPointer.compile(ref) : JsonPointer.empty().appendProperty(ref);
    }

    /** The allow-listed string values of each claim {@code issuer} maps, read from a verified {@code payload}. */
    public static Mapped map(TrustedIssuer issuer, JsonNode payload) {
        Map<String, Set<String>> claims = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        String prefix = "identity token of issuer " + issuer.name() + ": claim ";
        for (String ref : issuer.claims().keySet()) {
            JsonNode node = payload.at(pointer(ref));
            List<JsonNode> items = new ArrayList<>();
            if (node.isMissingNode()) {
                warnings.add(prefix + ref + " is not in the token" + missingHint(ref, payload) + "; no group from it");
            } else if (node.isArray()) {
                node.forEach(items::add);
            } else {
                items.add(node);
            }
            Set<String> allowed = new TreeSet<>();
            for (JsonNode item : items) {
                if (!item.isTextual()) {
                    warnings.add(prefix + ref + (node.isArray() ? " holds " : " is ") + type(item) + ", not "
                            + (node.isArray() ? "a string" : "a string or an array of strings") + "; ignored");
                } else if (issuer.allows(ref, item.textValue())) {
                    allowed.add(item.textValue());
                } else {
                    warnings.add(prefix + ref + " value \"" + item.textValue() + "\" is not in the issuer's allow-list; ignored");
                }
            }
            if (!allowed.isEmpty()) {
                claims.put(ref, allowed);
            }
        }
        return new Mapped(claims, warnings);
    }

    /** The two usual reasons a mapped claim is absent, when the token shows them. */
    private static String missingHint(String ref, JsonNode payload) {
        // Azure AD leaves groups out of tokens of members of over 200 groups and names them in _claim_names instead
        if (payload.path("_claim_names").has(ref)) {
            return " (the provider moved it to _claim_sources, as Azure AD does for members of many groups;"
                    + " idgate does not fetch it: map app roles (roles) or emit only the groups assigned to the application)";
        }
        // realm_access.roles, as some providers' documentation writes nested claims
        if (ref.matches("[^/~.]+(\\.[^/~.]+)+") && payload.path(ref.substring(0, ref.indexOf('.'))).isObject()) {
            return " (for the nested claim write the JSON Pointer /" + ref.replace('.', '/') + ")";
        }
        return "";
    }

    private static String type(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT, POJO -> "an object";
            case ARRAY -> "an array";
            case NUMBER -> "a number (" + node + ")";
            case BOOLEAN -> "a boolean (" + node + ")";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
