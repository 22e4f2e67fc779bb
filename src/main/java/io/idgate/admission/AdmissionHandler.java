package io.idgate.admission;

import java.util.concurrent.CompletionStage;

/**
 * Decides one admission request. May throw {@link BadAdmissionReview} for a review it cannot use
 * (wrong kind, missing object); anything else thrown is a bug and becomes an in-band refusal.
 * Answers from memory complete at once; a cache miss may complete later, off the event loop.
 */
public interface AdmissionHandler {

    CompletionStage<AdmissionResponse> handle(AdmissionRequest request);

    /** What of the review's object and oldObject this handler reads ({@link ObjectFields}); all of them unless it says less. */
    default com.fasterxml.jackson.core.filter.TokenFilter objectFields() {
        return ObjectFields.ALL;
    }
}
