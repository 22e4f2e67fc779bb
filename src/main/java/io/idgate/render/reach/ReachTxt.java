package io.idgate.render.reach;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code -o txt}: the line format of design section 7, exactly, so users of other connectivity
 * analyzers can compare outputs line by line. No spoofable marker here (it would break that
 * comparison); the structured formats carry it.
 */
public final class ReachTxt {

    private ReachTxt() {
    }

    /** {@code <src> => <dst> : <conns>}, one line per edge, lines sorted. */
    public static String list(GraphModel graph) {
        List<String> lines = new ArrayList<>();
        for (GraphModel.Edge e : graph.edges()) {
            lines.add(clean(e.src()) + " => " + clean(e.dst()) + " : " + clean(e.connections()));
        }
        return join(lines);
    }

    /** {@code + <src> => <dst> : <conns>}, {@code - ...}, {@code ~ <src> => <dst> : <before> -> <after>}; by pair. */
    public static String diff(DiffModel diff) {
        List<String> lines = new ArrayList<>();
        for (DiffModel.Change c : Sorting.changes(diff)) {
            String pair = clean(c.src()) + " => " + clean(c.dst()) + " : ";
            lines.add(switch (c.kind()) {
                case ADDED -> "+ " + pair + clean(c.after());
                case REMOVED -> "- " + pair + clean(c.before());
                case CHANGED -> "~ " + pair + clean(c.before()) + " -> " + clean(c.after());
            });
        }
        StringBuilder out = new StringBuilder();
        lines.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    private static String join(List<String> lines) {
        lines.sort(Sorting.TEXT);
        StringBuilder out = new StringBuilder();
        for (String l : lines) {
            out.append(l).append('\n');
        }
        return out.toString();
    }

    /**
     * One edge is one line: control characters (a newline in a name would forge a line) become
     * {@code \\uXXXX}, and a backslash doubles so the escape cannot be forged either. Kubernetes names
     * have neither, so real output is untouched.
     */
    static String clean(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = c < 0x20 || c == 0x7f || c == '\\' || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029';
            if (bad && out == null) {
                out = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (out != null) {
                if (c == '\\') {
                    out.append("\\\\");
                } else if (bad) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
