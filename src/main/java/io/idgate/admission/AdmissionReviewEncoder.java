package io.idgate.admission;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes an AdmissionReview v1 response, and the JSON body of an HTTP 400.
 *
 * <p>Straight to bytes with a streaming generator, no tree in between: encoding was a tenth of a
 * review's CPU, and a tree per answer only added allocation (docs/benchmarks.md, "Where a review's
 * CPU goes"). The field order is the wire format's, fixed here.
 */
public final class AdmissionReviewEncoder {

    private static final JsonFactory JSON = AdmissionReviewDecoder.mapper().getFactory();

    private AdmissionReviewEncoder() {}

    public static byte[] encode(String uid, AdmissionResponse response) {
        byte[] patch = response.patch();
        ByteArrayBuilder bytes = new ByteArrayBuilder(512);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("apiVersion", AdmissionReviewDecoder.API_VERSION);
            out.writeStringField("kind", "AdmissionReview");
            out.writeObjectFieldStart("response");
            out.writeStringField("uid", uid);
            out.writeBooleanField("allowed", response.allowed());
            if (patch != null) {
                out.writeStringField("patchType", "JSONPatch");
                out.writeFieldName("patch");
                out.writeBinary(patch); // base64 with padding, no line breaks: what the API server decodes
            }
            if (response.status() != null) {
                out.writeObjectFieldStart("status");
                out.writeNumberField("code", response.status().code());
                out.writeStringField("reason", response.status().reason());
                out.writeStringField("message", response.status().message());
                out.writeEndObject();
            }
            if (!response.warnings().isEmpty()) {
                out.writeArrayFieldStart("warnings");
                for (String warning : response.warnings()) {
                    out.writeString(warning);
                }
                out.writeEndArray();
            }
            if (!response.auditAnnotations().isEmpty()) {
                out.writeObjectFieldStart("auditAnnotations");
                for (Map.Entry<String, String> e : new java.util.TreeMap<>(response.auditAnnotations()).entrySet()) {
                    out.writeStringField(e.getKey(), e.getValue());
                }
                out.writeEndObject();
            }
            out.writeEndObject();
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // writing to memory: not reached
        }
        return bytes.toByteArray();
    }

    /** The body of an HTTP 400: a metav1.Status, so tools that read API errors read it too. */
    public static byte[] badRequest(String message) {
        return failure(400, "BadRequest", message);
    }

    /** A metav1.Status failure body with this code. */
    public static byte[] failure(int code, String reason, String message) {
        ByteArrayBuilder bytes = new ByteArrayBuilder(256);
        try (JsonGenerator out = JSON.createGenerator(bytes)) {
            out.writeStartObject();
            out.writeStringField("apiVersion", "v1");
            out.writeStringField("kind", "Status");
            out.writeStringField("status", "Failure");
            out.writeNumberField("code", code);
            out.writeStringField("reason", reason);
            out.writeStringField("message", message);
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
