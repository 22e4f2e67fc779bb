package io.idgate.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;

/**
 * An answer as the soak compares it: everything the API server acts on (allowed, status code and
 * message, warnings, the decoded patch, audit annotations), without the uid, which is checked on its
 * own, and without the reachability preview's warning lines: they never change a decision (design
 * section 8) and depend on the live world and on the preview's time budget, neither of which the
 * oracle models. Server answers and oracle answers go through this one function, so equal strings
 * mean equal decisions.
 */
final class Answers {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    /** What one answer says: the uid it carries (null when none) and its decision as a comparable string. */
    record Read(String uid, String decision) {}

    /** How every warning line of the reachability preview starts (engine.ReachAdmission). */
    private static final String PREVIEW = "reachability: ";

    private Answers() {}

    static Read read(int status, byte[] body) {
        if (status != 200) {
            return new Read(null, "HTTP " + status);
        }
        try {
            JsonNode tree = JSON.readTree(body);
            if (!(tree.path("response") instanceof ObjectNode response)) {
                return new Read(null, "HTTP 200 without response: " + tree);
            }
            String uid = response.path("uid").asText(null);
            response.remove("uid");
            if (response.path("warnings") instanceof com.fasterxml.jackson.databind.node.ArrayNode warnings) {
                for (int i = warnings.size() - 1; i >= 0; i--) {
                    if (warnings.get(i).asText().startsWith(PREVIEW)) {
                        warnings.remove(i);
                    }
                }
                if (warnings.isEmpty()) {
                    response.remove("warnings");
                }
            }
            if (response.path("patch").isTextual()) {
                // decoded: two patches are the same decision when their operations are, whatever base64 padding says
                response.set("patch", JSON.readTree(Base64.getDecoder().decode(response.path("patch").asText())));
            }
            return new Read(uid, JSON.writeValueAsString(response));
        } catch (IOException | IllegalArgumentException e) {
            return new Read(null, "HTTP 200, unreadable body: " + e.getMessage());
        }
    }
}
