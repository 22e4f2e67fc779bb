package io.idgate.admission;

import io.idgate.guardrails.Verdict;
import java.util.List;
import java.util.Map;

/**
 * The only place that builds {@link AdmissionResponse}s, mirroring controller-runtime's
 * {@code Allowed}/{@code Denied}/{@code Patched}/{@code Errored}.
 */
public final class AdmissionResponses {

    private AdmissionResponses() {}

    public static AdmissionResponse allowed() {
        return allowed(List.of());
    }

    public static AdmissionResponse allowed(List<String> warnings) {
        return new AdmissionResponse(true, null, warnings, null, Map.of(), "allowed");
    }

    /** Allowed with the given JSON patch (the JSON of its operations); no patch (null) is allowed as it is. */
    public static AdmissionResponse patched(byte[] patch, List<String> warnings) {
        if (patch == null) {
            return allowed(warnings);
        }
        return new AdmissionResponse(true, patch, warnings, null, Map.of(), "patched");
    }

    /** Refused: HTTP code 403, one violation a line (kubectl prints them as they are). */
    public static AdmissionResponse denied(List<String> lines, List<String> warnings) {
        return new AdmissionResponse(
                false, null, warnings, new AdmissionResponse.Status(403, "Forbidden", String.join("\n", lines)), Map.of(), "denied");
    }

    /**
     * The answer to a guardrail verdict: refused when a deny rule was broken (its lines in the
     * message), warn lines as warnings, audit notes as auditAnnotations (kept in the API server's
     * audit log under {@code <webhook name>/<rule>}).
     */
    public static AdmissionResponse judged(Verdict verdict) {
        return judged(verdict, List.of());
    }

    /** {@link #judged(Verdict)}, after {@code earlier} warnings of the same answer. */
    public static AdmissionResponse judged(Verdict verdict, List<String> earlier) {
        List<String> warnings = new java.util.ArrayList<>(earlier);
        warnings.addAll(verdict.warnings());
        if (verdict.denied()) {
            return new AdmissionResponse(false, null, warnings,
                    new AdmissionResponse.Status(403, "Forbidden", String.join("\n", verdict.denials())), verdict.audits(), "denied");
        }
        return new AdmissionResponse(true, null, warnings, null, verdict.audits(),
                verdict.audits().isEmpty() ? (warnings.isEmpty() ? "allowed" : "warned") : "audited");
    }

    /**
     * Refused because idgate could not decide (a bug, or a dependency that failed). In-band, so the
     * answer is a refusal whatever the webhook's failurePolicy: an identity gate fails closed.
     */
    public static AdmissionResponse errored(int code, String message) {
        return new AdmissionResponse(
                false, null, List.of(), new AdmissionResponse.Status(code, code >= 500 ? "InternalError" : "BadRequest", message),
                Map.of(), "error");
    }
}
