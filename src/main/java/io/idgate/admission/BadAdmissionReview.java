package io.idgate.admission;

/** The body is not a usable AdmissionReview v1; the message names the problem and is shown to the caller. */
public final class BadAdmissionReview extends RuntimeException {

    public BadAdmissionReview(String message) {
        super(io.idgate.identity.OneLine.of(message), null, false, false); // it may quote what the caller sent
    }
}
