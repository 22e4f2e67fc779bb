package io.idgate.identity;

/**
 * One owned key whose value on the object differs from what it must be.
 *
 * @param have the value on the object, null when absent
 * @param want the value it must have, null when it must be absent
 */
public record KeyChange(Section section, String key, String have, String want) {

    /** Where a key lives on the object. */
    public enum Section {
        LABELS("labels"),
        ANNOTATIONS("annotations");

        private final String field;

        Section(String field) {
            this.field = field;
        }

        /** The map's name under {@code metadata}. */
        public String field() {
            return field;
        }
    }

    public boolean isAdd() {
        return have == null;
    }

    public boolean isRemove() {
        return want == null;
    }

    /** {@code metadata.labels[idgate.io/spiffe-id]}. */
    public String fieldPath() {
        return "metadata." + section.field() + "[" + key + "]";
    }

    /**
     * A refusal line: {@code <field>: <problem> (have "x", want "y"); <fix>}. The problem and fix
     * depend on the situation (a create, an update, a backfill), so the caller says them.
     */
    public String denial(String problem, String fix) {
        return OneLine.of(fieldPath() + ": " + problem + " (have " + quoted(have) + ", want " + quoted(want) + "); " + fix);
    }

    /** The warning the mutating webhook returns when it overrode a requester-set key. */
    public String overrideWarning() {
        return OneLine.of(isRemove()
                ? fieldPath() + ": removed requester-set key; keys under this prefix are set by idgate only"
                : fieldPath() + ": replaced requester-set value " + quoted(have) + "; keys under this prefix are set by idgate only");
    }

    private static String quoted(String value) {
        return value == null ? "none" : "\"" + value + "\"";
    }
}
