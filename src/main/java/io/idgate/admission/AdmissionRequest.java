package io.idgate.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.idgate.k8s.ServiceAccountAuthorizer.Requester;

/**
 * The parts of {@code AdmissionReview.request} idgate reads. {@code object}/{@code oldObject} stay raw
 * JSON trees: patches are computed against the bytes the API server sent, never against a
 * re-serialised model (the kubebuilder#510 round-trip problem).
 *
 * @param object    the new object; null on DELETE
 * @param requester {@code userInfo}: username, uid, groups and extra; null when the review has no userInfo
 * @param oldObject the old object; null on CREATE
 */
public record AdmissionRequest(
        String uid,
        GroupVersionKind kind,
        String resource,
        String subResource,
        String namespace,
        String name,
        Operation operation,
        Requester requester,
        boolean dryRun,
        ObjectNode object,
        ObjectNode oldObject) {

    /** The operations of admission.k8s.io/v1. */
    public enum Operation {
        CREATE,
        UPDATE,
        DELETE,
        CONNECT
    }

    /** {@code request.kind}. */
    public record GroupVersionKind(String group, String version, String kind) {
        @Override
        public String toString() {
            return (group.isEmpty() ? "" : group + "/") + version + ", Kind=" + kind;
        }
    }

    /** {@code userInfo.username}; null when the review names no requester. */
    public String user() {
        return requester == null ? null : requester.username();
    }

    /** The object's name, or {@code generateName + "*"} for objects a controller names later. */
    public String displayName() {
        if (name != null && !name.isEmpty()) {
            return name;
        }
        JsonNode obj = object != null ? object : oldObject;
        String objectName = obj == null ? "" : obj.path("metadata").path("name").asText("");
        if (!objectName.isEmpty()) {
            return objectName;
        }
        String generateName = obj == null ? "" : obj.path("metadata").path("generateName").asText("");
        return generateName.isEmpty() ? "" : generateName + "*";
    }
}
