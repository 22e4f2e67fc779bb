package io.idgate.render.reach;

/**
 * {@code -o csv}, RFC 4180: CRLF line ends, a field with a comma, quote, CR or LF quoted and its
 * quotes doubled. A list has the header {@code src,dst,conns,spoofable}; a diff
 * {@code change,src,dst,before,after,spoofable} ({@code change}: added, removed, changed).
 */
public final class ReachCsv {

    private static final String CRLF = "\r\n";

    private ReachCsv() {
    }

    public static String list(GraphModel graph) {
        StringBuilder out = new StringBuilder("src,dst,conns,spoofable").append(CRLF);
        for (GraphModel.Edge e : Sorting.edges(graph)) {
            out.append(field(e.src())).append(',').append(field(e.dst())).append(',').append(field(e.connections()))
                    .append(',').append(e.spoofable()).append(CRLF);
        }
        return out.toString();
    }

    public static String diff(DiffModel diff) {
        StringBuilder out = new StringBuilder("change,src,dst,before,after,spoofable").append(CRLF);
        for (DiffModel.Change c : Sorting.changes(diff)) {
            out.append(c.kind().name().toLowerCase(java.util.Locale.ROOT)).append(',').append(field(c.src())).append(',')
                    .append(field(c.dst())).append(',').append(field(c.before())).append(',').append(field(c.after()))
                    .append(',').append(c.spoofable()).append(CRLF);
        }
        return out.toString();
    }

    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\r') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
