package io.idgate.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.idgate.k8s.ClientKeys;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.List;
import java.util.function.Function;
import io.idgate.render.Report;
import io.idgate.yaml.Suggestions;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code idgate} command and its subcommands. */
@Command(name = "idgate", mixinStandardHelpOptions = true, versionProvider = Cli.Version.class,
        description = {"Identity labels for pods and identity guardrails for NetworkPolicies.",
                "idgate serve (or no subcommand) runs the admission webhook server."},
        footer = {"", "Exit codes: 0 no deny violation; 1 deny violations (with --strict: any warning);"
                + " 2 unusable input (the message names the file, document and field)."})
public final class Cli implements Runnable {

    /** The commands, for the "did you mean" of a mistyped one; {@code serve} starts the server instead. */
    private static final List<String> COMMANDS = List.of("check", "labels", "audit", "reach", "generate", "help", "serve");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * True when {@code args} ask for a command rather than the server: anything but nothing and
     * {@code serve}. A mistyped command must not start a server that tries to reach a cluster (a typo
     * in CI would hang the job), so it is a command too, and fails.
     */
    public static boolean handles(String... args) {
        return args.length > 0 && !"serve".equals(args[0]) && !args[0].startsWith("-D"); // -Dkey=value: a server setting
    }

    /** Runs a command on the process's streams, against the kubeconfig / in-cluster cluster. */
    public static int run(String... args) {
        return run(args, System.in, System.out, System.err, Cli::client);
    }

    /** The client of a kubeconfig context (null: the current one, or in-cluster), or one line saying why there is none. */
    static KubernetesClient client(String context) {
        Config config = ClientKeys.nameAlgorithm(Kubeconfigs.config(context, System.getenv()));
        try {
            return new KubernetesClientBuilder().withConfig(config).build();
        } catch (KubernetesClientException e) {
            throw new UsageError(ClusterProblems.credentials(config, context, e));
        }
    }

    /**
     * Runs a command; tests pass their own streams and cluster.
     *
     * @param clients the cluster client for a kubeconfig context (null: the current one)
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Function<String, KubernetesClient> clients) {
        if (args.length > 0 && !args[0].startsWith("-") && !COMMANDS.contains(args[0])) {
            err.println("idgate: unknown command '" + args[0] + "'" + java.util.Optional.ofNullable(Suggestions.nearest(args[0], COMMANDS)).map(c -> "; did you mean '" + c + "'?").orElse("")
                    + " (idgate --help lists the commands)");
            return Report.EXIT_UNUSABLE;
        }
        return commandLine(in, out, err, clients).execute(args);
    }

    /** Help lines at most this wide, wrapped at spaces only ({@link HelpWrapping}); {@code CliHelpTest} checks no token is split. */
    static final int USAGE_WIDTH = 100;

    /** The command line with its subcommands, streams and handlers; tests render its help. */
    static CommandLine commandLine(InputStream in, PrintStream out, PrintStream err, Function<String, KubernetesClient> clients) {
        CommandLine cli = new CommandLine(new Cli())
                .addSubcommand(new CheckCommand(in, clients))
                .addSubcommand(new LabelsCommand(in))
                .addSubcommand(new AuditCommand(clients, in))
                .addSubcommand("reach", ReachCommand.command(in, clients))
                .addSubcommand(new GenerateCommand(in))
                .addSubcommand(new CommandLine.HelpCommand())
                .setOut(new PrintWriter(out, true, StandardCharsets.UTF_8))
                .setErr(new PrintWriter(err, true, StandardCharsets.UTF_8))
                .setCaseInsensitiveEnumValuesAllowed(true)
                // a fixed width, not the terminal's: the help reads the same in CI logs and READMEs
                .setUsageHelpWidth(USAGE_WIDTH)
                .setUsageHelpLongOptionsMaxWidth(30)
                .setExitCodeExceptionMapper(e -> Report.EXIT_UNUSABLE)
                .setExecutionExceptionHandler((e, line, parsed) -> {
                    // no stack trace for users: the commands turn known problems into messages, so this is a bug
                    line.getErr().println("idgate: unexpected error (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + "); please report it with the command you ran");
                    return Report.EXIT_UNUSABLE;
                });
        // a bad option: the error and where to read more, not 40 lines of usage after it
        cli.setParameterExceptionHandler((e, argv) -> {
            e.getCommandLine().getErr().println("idgate: " + e.getMessage() + " (see " + e.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help)");
            return Report.EXIT_UNUSABLE;
        });
        cli.getCommandSpec().exitCodeOnInvalidInput(Report.EXIT_UNUSABLE);
        cli.getSubcommands().values().forEach(sub -> sub.getCommandSpec().exitCodeOnInvalidInput(Report.EXIT_UNUSABLE));
        HelpWrapping.install(cli);
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The version the build wrote into {@code idgate-version.properties}, or {@code unknown}. */
    static String version() {
        Properties p = new Properties();
        try (InputStream in = Cli.class.getResourceAsStream("/idgate-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // a resource of our own jar that cannot be read: say unknown rather than fail the command
        }
        return p.getProperty("version", "unknown");
    }

    /** The version the build wrote into {@code idgate-version.properties}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = version();
            return new String[] {"idgate " + (v.equals("unknown") ? "(unknown version)" : v)};
        }
    }
}
