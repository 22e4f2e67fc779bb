package io.idgate.admission;

import io.idgate.engine.ServiceAccountUseCheck;
import io.idgate.k8s.ServiceAccountAuthorizer.Requester;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;

/**
 * {@code POST /validate/workloads} (design section 9): Pods and the workloads that make them, judged by
 * {@link ServiceAccountUseCheck}. An unanswered check is refused in-band (503), whatever the
 * webhook's failurePolicy: letting pods through because the API server was slow would reopen exactly
 * what the guardrail closes.
 */
public final class WorkloadHandler implements AdmissionHandler {

    /** The kinds this endpoint takes, by API group ({@code ""} is core). */
    private static final Map<String, List<String>> KINDS = Map.of(
            "", List.of("Pod", "ReplicationController"),
            "apps", List.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"),
            "batch", List.of("Job", "CronJob"));

    private static final Logger LOG = Logger.getLogger(WorkloadHandler.class);

    private static final Requester NOBODY = new Requester("", "", List.of(), Map.of());

    private final ServiceAccountUseCheck check;

    public WorkloadHandler(ServiceAccountUseCheck check) {
        this.check = check;
    }

    @Override
    public CompletionStage<AdmissionResponse> handle(AdmissionRequest request) {
        var kind = request.kind();
        if (!KINDS.getOrDefault(kind.group(), List.of()).contains(kind.kind())) {
            throw new BadAdmissionReview("request.kind is " + kind + "; this endpoint only takes Pods and workloads with a pod template"
                    + " (check the webhook's rules)");
        }
        var operation = request.operation();
        if (operation != AdmissionRequest.Operation.CREATE && operation != AdmissionRequest.Operation.UPDATE
                || request.subResource() != null && !request.subResource().isEmpty()) {
            return CompletableFuture.completedFuture(AdmissionResponses.allowed()); // scale, status, deletes: no ServiceAccount chosen
        }
        if (request.object() == null || operation == AdmissionRequest.Operation.UPDATE && request.oldObject() == null) {
            throw new BadAdmissionReview("request.object" + (operation == AdmissionRequest.Operation.UPDATE ? " and request.oldObject are" : " is")
                    + " required: a " + operation + " review must carry the " + kind.kind());
        }
        Requester requester = request.requester() == null ? NOBODY : request.requester();
        return check.review(kind.kind(), request.namespace(), request.object(), request.oldObject(), requester).thenApply(decision -> {
            if (decision instanceof ServiceAccountUseCheck.Refused refused) {
                return AdmissionResponses.denied(List.of(refused.line()), List.of());
            }
            if (decision instanceof ServiceAccountUseCheck.Unanswered unanswered) {
                // the answer says only that the API server did not answer; why (RBAC, network) is for operators
                LOG.warnf("SubjectAccessReview for %s request %s unanswered: %s", kind.kind(), request.uid(), unanswered.cause().toString());
                return AdmissionResponses.errored(503, unanswered.message());
            }
            return AdmissionResponses.allowed();
        });
    }
}
