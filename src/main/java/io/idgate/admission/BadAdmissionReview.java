package io.idgate.admission;

import io.idgate.k8s.InvalidObject;

/** The body is not a usable AdmissionReview v1; the message names the problem and is shown to the caller. */
public final class BadAdmissionReview extends InvalidObject {

    public BadAdmissionReview(String message) {
        super(message);
    }
}
