package io.idgate.reach;

/**
 * An input the engine cannot use, as one line: file, object and field.
 *
 * @param source  the file (or other source) the object came from
 * @param object  {@code Kind ns/name}
 * @param field   the field path, or empty when the whole object is at fault
 * @param message what is wrong and what to write instead
 */
public record InputProblem(String source, String object, String field, String message) {
    @Override
    public String toString() {
        return source + ": " + object + ": " + (field.isEmpty() ? "" : field + ": ") + message;
    }
}
