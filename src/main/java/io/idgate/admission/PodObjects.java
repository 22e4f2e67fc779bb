package io.idgate.admission;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.engine.PodFields;

/** The checks every pod webhook makes of its review before the engine reads the pod. */
final class PodObjects {

    private PodObjects() {}

    /** Refuses a review whose request is not for a core v1 Pod. */
    static void requirePod(AdmissionRequest request) {
        var kind = request.kind();
        if (!kind.group().isEmpty() || !"Pod".equals(kind.kind())) {
            throw new BadAdmissionReview("request.kind is " + kind + "; this endpoint only takes Pods (check the webhook's rules)");
        }
        if (request.object() != null) {
            PodFields.validate(request.object(), "request.object");
        }
        if (request.oldObject() != null) {
            PodFields.validate(request.oldObject(), "request.oldObject");
        }
    }

    static ObjectNode requireObject(AdmissionRequest request) {
        if (request.object() == null) {
            throw new BadAdmissionReview("request.object is missing: a " + request.operation() + " review must carry the object");
        }
        return request.object();
    }
}
