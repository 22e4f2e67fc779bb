package io.idgate.render.reach;

/**
 * {@code -o md}: a GitHub-flavoured Markdown table with the columns of the CSV. Cells are escaped so a
 * name cannot end a cell ({@code |}), break the row (line ends), open HTML ({@code <}, {@code &}) or
 * emphasis ({@code *}, {@code _}, backtick); the text a reader sees is the name.
 */
public final class ReachMd {

    private ReachMd() {
    }

    public static String list(GraphModel graph) {
        StringBuilder out = new StringBuilder("| src | dst | conns | spoofable |\n|---|---|---|---|\n");
        for (GraphModel.Edge e : Sorting.edges(graph)) {
            out.append("| ").append(cell(e.src())).append(" | ").append(cell(e.dst())).append(" | ")
                    .append(cell(e.connections())).append(" | ").append(e.spoofable() ? "yes" : "no").append(" |\n");
        }
        return out.toString();
    }

    public static String diff(DiffModel diff) {
        StringBuilder out = new StringBuilder("| change | src | dst | before | after | spoofable |\n|---|---|---|---|---|---|\n");
        for (DiffModel.Change c : Sorting.changes(diff)) {
            out.append("| ").append(c.kind().name().toLowerCase(java.util.Locale.ROOT)).append(" | ").append(cell(c.src()))
                    .append(" | ").append(cell(c.dst())).append(" | ").append(cell(c.before())).append(" | ")
                    .append(cell(c.after())).append(" | ").append(c.spoofable() ? "yes" : "no").append(" |\n");
        }
        return out.toString();
    }

    static String cell(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\', '|', '*', '_', '`' -> out.append('\\').append(c);
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\r', '\n' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
