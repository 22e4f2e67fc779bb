package io.idgate.admission;

import java.util.List;
import java.util.Map;

/**
 * A handler's answer, before the request UID is attached (the resource copies it, once, for every
 * answer). Build it with {@link AdmissionResponses}.
 *
 * @param patch            the JSON of RFC 6902 operations ({@link JsonPatches}); null when nothing is patched; never written into
 * @param status           null when allowed without a message
 * @param decision         a one-word summary for logs and metrics: allowed, patched, denied, error
 */
public record AdmissionResponse(
        boolean allowed,
        byte[] patch,
        List<String> warnings,
        Status status,
        Map<String, String> auditAnnotations,
        String decision) {

    public AdmissionResponse {
        warnings = List.copyOf(warnings);
        auditAnnotations = Map.copyOf(auditAnnotations);
    }

    /** {@code response.status}, a metav1.Status. */
    public record Status(int code, String reason, String message) {}
}
