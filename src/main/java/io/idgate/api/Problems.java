package io.idgate.api;

import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The query API's refusals: a Kubernetes-style {@code Status} naming what is wrong and how to ask instead. */
final class Problems {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private Problems() {}

    static Response badRequest(String message) {
        return status(400, message);
    }

    static Response status(int code, String message) {
        var status = JSON.createObjectNode().put("kind", "Status").put("status", "Failure").put("code", code).put("message", message);
        return Response.status(code).entity(status.toString()).type(MediaType.APPLICATION_JSON).build();
    }
}
