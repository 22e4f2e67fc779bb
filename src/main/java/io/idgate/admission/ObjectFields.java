package io.idgate.admission;

import com.fasterxml.jackson.core.filter.TokenFilter;
import java.util.Map;

/**
 * Which fields of a review become tree nodes, as a Jackson token filter. The whole body is still read
 * token by token, so every check of the reader runs on all of it (syntax, duplicate keys, nesting and
 * size limits, UTF-8, trailing data): only the fields a webhook never reads are not built. A pod's
 * containers, volumes and status are most of a real pod's tree: decoding a pod with four containers
 * takes 30 % less, and the largest pod UPDATEs no longer become two trees of 1.5 MB each
 * (docs/benchmarks.md, "Where a review's CPU goes").
 */
final class ObjectFields extends TokenFilter {

    /** Every field: the tree as the review has it. */
    static final TokenFilter ALL = TokenFilter.INCLUDE_ALL;

    /**
     * A pod review read for the pod's identity ({@code engine.PodFields}, the decision log's name, the
     * patch's maps): of the object and oldObject only kind, the name fields, labels, annotations and
     * the ServiceAccount fields; of the rest of the review what the decoder reads.
     */
    static final ObjectFields POD_IDENTITY = review(of(Map.of(
            "apiVersion", ALL, "kind", ALL,
            "metadata", of(Map.of("name", ALL, "generateName", ALL, "namespace", ALL, "labels", ALL, "annotations", ALL)),
            "spec", of(Map.of("serviceAccountName", ALL, "serviceAccount", ALL)))));

    private final Map<String, TokenFilter> fields;

    private ObjectFields(Map<String, TokenFilter> fields) {
        this.fields = fields;
    }

    /** Only {@code fields}, each with what of it is kept. */
    static ObjectFields of(Map<String, TokenFilter> fields) {
        return new ObjectFields(Map.copyOf(fields));
    }

    /** A review whose object and oldObject are read through {@code objectFields}, with all of the rest the decoder reads. */
    private static ObjectFields review(TokenFilter objectFields) {
        Map<String, TokenFilter> request = new java.util.HashMap<>();
        for (String field : new String[] {"uid", "kind", "resource", "subResource", "namespace", "name", "operation", "userInfo", "dryRun"}) {
            request.put(field, ALL);
        }
        request.put("object", objectFields);
        request.put("oldObject", objectFields);
        return of(Map.of("apiVersion", ALL, "kind", ALL, "request", of(request)));
    }

    @Override
    public TokenFilter includeProperty(String name) {
        return fields.get(name); // null: read past it, build nothing
    }

    /** An object whose fields are all left out is still an object (a pod's metadata without labels is not a pod without metadata). */
    @Override
    public boolean includeEmptyObject(boolean contentsFiltered) {
        return true;
    }

    @Override
    public boolean includeEmptyArray(boolean contentsFiltered) {
        return true;
    }

    /** A kept field that is not an object (a wrong type) is kept as it is, for the checks that refuse it. */
    @Override
    protected boolean _includeScalar() {
        return true;
    }
}
