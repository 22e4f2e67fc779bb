package io.idgate.render.reach;

import java.util.List;
import java.util.Objects;

/** What changed between two reachability results, one {@link Change} per ordered pair whose connections differ. */
public record DiffModel(List<Change> changes) {

    public DiffModel {
        changes = List.copyOf(changes);
    }

    public enum Kind {
        ADDED, REMOVED, CHANGED
    }

    /**
     * One pair's change. {@code before} is {@code ""} for {@link Kind#ADDED}, {@code after} is {@code ""}
     * for {@link Kind#REMOVED}; {@code spoofable} describes the edge after the change (before it, for a
     * removed edge).
     */
    public record Change(Kind kind, String src, String dst, String before, String after, boolean spoofable) {
        public Change {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(src, "src");
            Objects.requireNonNull(dst, "dst");
            before = Objects.requireNonNullElse(before, "");
            after = Objects.requireNonNullElse(after, "");
        }

        public static Change added(String src, String dst, String conns, boolean spoofable) {
            return new Change(Kind.ADDED, src, dst, "", conns, spoofable);
        }

        public static Change removed(String src, String dst, String conns, boolean spoofable) {
            return new Change(Kind.REMOVED, src, dst, conns, "", spoofable);
        }

        public static Change changed(String src, String dst, String before, String after, boolean spoofable) {
            return new Change(Kind.CHANGED, src, dst, before, after, spoofable);
        }

        /** The connections a one-column format shows: after, or before for a removed edge. */
        public String connections() {
            return kind == Kind.REMOVED ? before : after;
        }
    }
}
