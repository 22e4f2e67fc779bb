package io.idgate.yaml;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The error sink of one read: every problem in the order found. Readers go on after a problem, so one
 * answer lists every mistake of the document rather than only the first.
 */
public final class YamlErrors {

    private final List<YamlError> errors = new ArrayList<>();

    public void add(int line, String path, String message) {
        errors.add(new YamlError(line, path, message));
    }

    /** How many problems so far; compare before and after reading a part to see whether that part was clean. */
    public int count() {
        return errors.size();
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** The problems sorted by line, then field path; problems at the same place keep the order they were found in. */
    public List<YamlError> sorted() {
        List<YamlError> out = new ArrayList<>(errors);
        out.sort(Comparator.comparingInt(YamlError::line).thenComparing(YamlError::path));
        return List.copyOf(out);
    }
}
