package io.idgate.k8s;

import io.idgate.identity.ServiceAccountInfo;
import java.util.concurrent.CompletionStage;

/**
 * Finds a ServiceAccount for the admission path. Implementations answer from memory when they can
 * (a completed stage, no thread hop) and never block the caller.
 */
public interface ServiceAccountLookup {

    CompletionStage<Resolution> resolve(String namespace, String name);

    /** True once the cache holds a complete view (the informer's first list has finished). */
    boolean synced();

    /** Where an answer came from; the {@code source} tag of {@code idgate_serviceaccount_lookups_total}. */
    enum Source {
        CACHE,
        API,
        MISSING
    }

    /** The outcome of a lookup. */
    sealed interface Resolution {
        Source source();
    }

    /** The ServiceAccount exists. */
    record Found(ServiceAccountInfo serviceAccount, Source source) implements Resolution {}

    /** The ServiceAccount could not be read; {@code reason} says why, for the user. */
    record Missing(String reason) implements Resolution {
        @Override
        public Source source() {
            return Source.MISSING;
        }
    }
}
