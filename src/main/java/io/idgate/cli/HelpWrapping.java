package io.idgate.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IHelpSectionRenderer;

/**
 * Help text wrapped at spaces only. Picocli wraps at every line-break opportunity of
 * {@link java.text.BreakIterator}, which splits {@code idgate.label-prefix} after its dot and a URL in
 * the middle: a user copying the name gets half of it. So each section is rendered by picocli without
 * wrapping, then wrapped here at spaces, continuation lines indented as picocli indents them.
 */
final class HelpWrapping {

    /** Wide enough that picocli never wraps. */
    private static final int UNWRAPPED = 10_000;

    /** Sections laid out as a table (names, then a description column): continuation lines go under the description. */
    private static final List<String> TABLES = List.of(CommandLine.Model.UsageMessageSpec.SECTION_KEY_PARAMETER_LIST,
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST);

    /** Sections of plain paragraphs: continuation lines keep the paragraph's indentation. */
    private static final List<String> PARAGRAPHS = List.of(CommandLine.Model.UsageMessageSpec.SECTION_KEY_DESCRIPTION,
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER);

    private HelpWrapping() {}

    /** Installs the wrapping on {@code line} and all its subcommands (call after adding them). */
    static void install(CommandLine line) {
        Map<String, IHelpSectionRenderer> sections = line.getHelpSectionMap();
        for (String key : TABLES) {
            wrapSection(sections, key, true);
        }
        for (String key : PARAGRAPHS) {
            wrapSection(sections, key, false);
        }
        line.setHelpSectionMap(sections);
    }

    private static void wrapSection(Map<String, IHelpSectionRenderer> sections, String key, boolean table) {
        IHelpSectionRenderer original = sections.get(key);
        if (original == null) {
            return;
        }
        sections.put(key, help -> {
            var usage = help.commandSpec().usageMessage();
            int width = usage.width();
            String text;
            usage.width(UNWRAPPED);
            try {
                text = original.render(help);
            } finally {
                usage.width(width);
            }
            return wrap(text, width, table);
        });
    }

    /** Each line of {@code text} wrapped at spaces to {@code width} columns. */
    static String wrap(String text, int width, boolean table) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            line = line.stripTrailing();
            if (line.length() <= width) {
                out.append(line).append('\n');
                continue;
            }
            int leading = line.length() - line.stripLeading().length();
            int start = table ? descriptionStart(line, leading) : leading;
            // the names (or the indentation) stay on the first line; the words after them are wrapped
            String head = line.substring(0, start);
            String indent = " ".repeat(table && start > leading ? start + 2 : start);
            StringBuilder current = new StringBuilder(head);
            boolean empty = true;
            for (String word : line.substring(start).split(" +")) {
                if (!empty && current.length() + 1 + word.length() > width) {
                    out.append(current).append('\n');
                    current = new StringBuilder(indent);
                    empty = true;
                }
                current.append(empty ? "" : " ").append(word);
                empty = false;
            }
            out.append(current).append('\n');
        }
        out.setLength(Math.max(0, out.length() - 1)); // split kept the text's own last line end
        return out.toString();
    }

    /** Where the description of a table row starts: after the first gap of two spaces that follows its names. */
    private static int descriptionStart(String line, int leading) {
        int gap = line.indexOf("  ", leading);
        if (gap < 0) {
            return leading;
        }
        int start = gap;
        while (start < line.length() && line.charAt(start) == ' ') {
            start++;
        }
        return start;
    }
}
