package io.idgate.render.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReachCsvMdTest {

    static Stream<Arguments> csvFields() {
        return Stream.of(
                Arguments.of("a plain field is not quoted", "payments/api[Deployment]", "payments/api[Deployment]"),
                Arguments.of("a field with a comma is quoted", "TCP 80,443", "\"TCP 80,443\""),
                Arguments.of("a quote is doubled inside quotes", "a\"b", "\"a\"\"b\""),
                Arguments.of("a line feed is kept inside quotes", "a\nb", "\"a\nb\""),
                Arguments.of("a carriage return is kept inside quotes", "a\rb", "\"a\rb\""),
                Arguments.of("markup and pipes need no quoting in CSV", "<a>|&b", "<a>|&b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("csvFields")
    void csvQuoting(String name, String field, String written) {
        assertEquals(written, ReachCsv.field(field));
    }

    @Test
    void csvListHasTheHeaderAndOneCrlfRowPerEdge() {
        String out = ReachCsv.list(new GraphModel(List.of(), List.of(new GraphModel.Edge("b", "a", "TCP 80,443", true),
                new GraphModel.Edge("a", "b", "All Connections", false)), List.of(), "workload"));
        assertEquals("src,dst,conns,spoofable\r\na,b,All Connections,false\r\nb,a,\"TCP 80,443\",true\r\n", out);
    }

    @Test
    void csvDiffNamesTheChangeAndLeavesTheMissingSideEmpty() {
        assertEquals("change,src,dst,before,after,spoofable\r\nadded,a,b,,TCP 1,true\r\nremoved,b,a,TCP 2,,false\r\n"
                + "changed,c,d,TCP 1,\"TCP 1,2\",false\r\n", ReachCsv.diff(new DiffModel(List.of(
                        DiffModel.Change.changed("c", "d", "TCP 1", "TCP 1,2", false), DiffModel.Change.removed("b", "a", "TCP 2", false),
                        DiffModel.Change.added("a", "b", "TCP 1", true)))));
    }

    /** A minimal RFC 4180 reader: the CSV parses back to the fields that went in. */
    static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder f = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    f.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    f.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(f.toString());
                f.setLength(0);
            } else if (c == '\r' && text.charAt(i + 1) == '\n') {
                row.add(f.toString());
                f.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                f.append(c);
            }
        }
        return rows;
    }

    @Test
    void csvOfNastyNamesParsesBackToTheNames() {
        List<List<String>> rows = parseCsv(ReachCsv.list(ReachSamples.small()));
        assertEquals(List.of("src", "dst", "conns", "spoofable"), rows.get(0));
        assertEquals(6, rows.size());
        assertTrue(rows.contains(List.of(ReachSamples.NASTY, "shop/web[Deployment]", "TCP 443", "true")), rows.toString());
        assertTrue(rows.stream().allMatch(r -> r.size() == 4));
    }

    static Stream<Arguments> mdCells() {
        return Stream.of(
                Arguments.of("a plain name is written as it is", "payments/api[Deployment]", "payments/api[Deployment]"),
                Arguments.of("a pipe is escaped so it cannot end the cell", "a|b", "a\\|b"),
                Arguments.of("markup becomes entities so it renders as text", "<b>&", "&lt;b&gt;&amp;"),
                Arguments.of("emphasis characters and backslashes are escaped", "a*b_c`d\\e", "a\\*b\\_c\\`d\\\\e"),
                Arguments.of("a line end becomes a space so the row stays whole", "a\nb\rc", "a b c"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mdCells")
    void markdownEscaping(String name, String text, String cell) {
        assertEquals(cell, ReachMd.cell(text));
    }

    @Test
    void markdownTableHasTheCsvColumnsAndEveryRowFourCells() {
        String out = ReachMd.list(ReachSamples.small());
        String[] lines = out.split("\n");
        assertEquals("| src | dst | conns | spoofable |", lines[0]);
        assertEquals(7, lines.length);
        for (String line : lines) {
            // four cells between five pipes not escaped by a backslash: six parts
            assertEquals(6, line.split("(?<!\\\\)\\|", -1).length, line);
        }
        assertTrue(out.contains("| shop/web[Deployment] | payments/api[Deployment] | TCP 80,8080-8090,UDP 53 | yes |"), out);
        assertFalse(out.contains("<script>"));
    }

    @Test
    void markdownDiffHasTheChangeColumn() {
        String out = ReachMd.diff(ReachSamples.smallDiff());
        assertTrue(out.startsWith("| change | src | dst | before | after | spoofable |\n"), out);
        assertTrue(out.contains("| changed | shop/web[Deployment] | payments/api[Deployment] | TCP 80 | TCP 80,443 | yes |"), out);
    }
}
