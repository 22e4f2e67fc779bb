package io.idgate.admission;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.Base64;

/** Writes an AdmissionReview v1 response, and the JSON body of an HTTP 400. */
public final class AdmissionReviewEncoder {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private AdmissionReviewEncoder() {}

    /** The full {@code AdmissionReview} tree for {@code response}, patch base64-encoded as the API server expects. */
    public static ObjectNode review(String uid, AdmissionResponse response) {
        ObjectNode review = NODES.objectNode();
        review.put("apiVersion", AdmissionReviewDecoder.API_VERSION);
        review.put("kind", "AdmissionReview");
        ObjectNode out = review.putObject("response");
        out.put("uid", uid);
        out.put("allowed", response.allowed());
        if (response.patch() != null) {
            out.put("patchType", "JSONPatch");
            out.put("patch", Base64.getEncoder().encodeToString(toBytes(response.patch())));
        }
        if (response.status() != null) {
            ObjectNode status = out.putObject("status");
            status.put("code", response.status().code());
            status.put("reason", response.status().reason());
            status.put("message", response.status().message());
        }
        if (!response.warnings().isEmpty()) {
            response.warnings().forEach(out.putArray("warnings")::add);
        }
        if (!response.auditAnnotations().isEmpty()) {
            ObjectNode audit = out.putObject("auditAnnotations");
            response.auditAnnotations().entrySet().stream()
                    .sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> audit.put(e.getKey(), e.getValue()));
        }
        return review;
    }

    public static byte[] encode(String uid, AdmissionResponse response) {
        return toBytes(review(uid, response));
    }

    /** The body of an HTTP 400: a metav1.Status, so tools that read API errors read it too. */
    public static byte[] badRequest(String message) {
        return failure(400, "BadRequest", message);
    }

    /** A metav1.Status failure body with this code. */
    public static byte[] failure(int code, String reason, String message) {
        ObjectNode status = NODES.objectNode();
        status.put("apiVersion", "v1");
        status.put("kind", "Status");
        status.put("status", "Failure");
        status.put("code", code);
        status.put("reason", reason);
        status.put("message", message);
        return toBytes(status);
    }

    private static byte[] toBytes(Object tree) {
        try {
            return AdmissionReviewDecoder.mapper().writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
