package io.idgate.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * The help of every command reads whole: no line splits a token ({@code --fail-on-change},
 * {@code idgate.label-prefix}, a URL) across two lines, and a bad option is one line, not the usage.
 */
class CliHelpTest {

    /** Every command and subcommand, as typed: {@code check}, {@code reach diff}, ... */
    static Stream<String> commands() {
        List<String> names = new ArrayList<>();
        collect(Cli.commandLine(new ByteArrayInputStream(new byte[0]), System.out, System.err, c -> null), "", names);
        return names.stream();
    }

    private static void collect(CommandLine line, String prefix, List<String> names) {
        names.add(prefix.strip());
        line.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                collect(sub, prefix + name + " ", names);
            }
        });
    }

    @ParameterizedTest(name = "idgate {0} --help")
    @MethodSource("commands")
    void noLineOfTheHelpSplitsAToken(String command) {
        CliRun run = CliRun.of(args(command, "--help"));
        assertEquals(0, run.exit(), run.err());
        // the same help without wrapping: each of its tokens is whole, so a token of the wrapped help that is
        // not among them is a piece of a split one
        Set<String> whole = new HashSet<>(tokens(unwrapped(command)));
        List<String> pieces = tokens(run.out()).stream().filter(t -> !whole.contains(t)).toList();
        assertEquals(List.of(), pieces, "split tokens in:\n" + run.out());
        assertTrue(run.out().lines().allMatch(l -> l.length() <= Cli.USAGE_WIDTH), run.out());
    }

    @ParameterizedTest(name = "idgate {0} --no-such-option")
    @MethodSource("commands")
    void aBadOptionIsOneLineNamingTheHelp(String command) {
        CliRun run = CliRun.of(args(command, "--no-such-option"));
        assertEquals(2, run.exit(), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        // picocli names a missing required option or parameter first, still on one line
        assertTrue(run.err().startsWith("idgate: ") && run.err().strip().endsWith(" --help)"), run.err());
        assertEquals("", run.out());
    }

    private static String unwrapped(String command) {
        var out = new ByteArrayOutputStream();
        var stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandLine line = Cli.commandLine(new ByteArrayInputStream(new byte[0]), stream, stream, c -> null);
        line.setUsageHelpWidth(10_000);
        for (String name : command.isEmpty() ? new String[0] : command.split(" ")) {
            line = line.getSubcommands().get(name);
        }
        line.usage(stream);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<String> tokens(String text) {
        return Arrays.stream(text.split("\\s+")).filter(t -> !t.isEmpty()).toList();
    }

    private static String[] args(String command, String option) {
        List<String> args = new ArrayList<>(command.isEmpty() ? List.of() : List.of(command.split(" ")));
        args.add(option);
        return args.toArray(String[]::new);
    }
}
