package io.idgate.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;

/**
 * The one way a JSON tree becomes a NetworkPolicy, for the webhook, the CLI, standalone mode, the
 * audit and the query API alike, so the same bad policy gets the same words everywhere. Strict:
 * unquoted numbers and booleans are not read as strings, and a null list item is refused rather than
 * bound to a null the checks would skip (a policy would then pass with less than it says).
 */
public final class NetworkPolicyBinder {

    private static final ObjectMapper MAPPER = StrictScalars.apply(JsonMapper.builder().build());

    private NetworkPolicyBinder() {}

    /**
     * @param where how messages name the object: {@code request.object} in a review, {@code <file> (document N): object} in a manifest
     * @throws InvalidObject naming the field and the fix
     */
    public static NetworkPolicy bind(JsonNode object, String where) {
        String kind = object.path("kind").asText("NetworkPolicy");
        if (!"NetworkPolicy".equals(kind)) {
            throw new InvalidObject(where + ".kind is \"" + kind + "\", expected NetworkPolicy");
        }
        JsonProblems.nullListItem(object).ifPresent(item -> {
            throw new InvalidObject(where + "." + item + " is null; " + JsonProblems.NULL_ITEM_FIX);
        });
        try {
            return MAPPER.treeToValue(object, NetworkPolicy.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new InvalidObject(where + " is not a valid NetworkPolicy: " + JsonProblems.describe(e));
        }
    }
}
