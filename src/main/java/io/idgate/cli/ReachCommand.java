package io.idgate.cli;
import io.idgate.reach.Focus;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.idgate.engine.ReachWorlds;
import io.idgate.identity.IdentityDeriver;
import io.idgate.k8s.ClusterObjects;
import io.idgate.netpol.Protocol;
import io.idgate.reach.Edge;
import io.idgate.reach.Explanation;
import io.idgate.reach.ReachDiff;
import io.idgate.reach.ReachGraph;
import io.idgate.reach.Reachability;
import io.idgate.reach.Views;
import io.idgate.render.Report;
import io.idgate.render.reach.ReachExplain;
import io.idgate.render.reach.ReachOutput;
import io.idgate.render.reach.ReachRendering;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import io.idgate.guardrails.Action;
import io.idgate.guardrails.GuardrailSnapshot;
import io.idgate.guardrails.InvariantCheck;
import io.idgate.guardrails.Violation;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code idgate reach}: who can reach whom, by workload, by verified identity or by guardrail group,
 * from manifests or a live cluster (read only). The engine is {@code io.idgate.reach}; the outputs are
 * {@code io.idgate.render.reach}'s.
 */
@Command(name = "reach", mixinStandardHelpOptions = true,
        description = {"Who can reach whom under the NetworkPolicies of manifests or a live cluster (read only).",
                "Peers are Pods and workloads (a pod template counts as one pod); outside the cluster, IPv4 ranges cut at the"
                        + " inputs' CIDR bounds. Edges a pod author can obtain by choosing labels are marked spoofable."},
        footer = {"", "Exit codes: 0 fine; 1 a finding (a diff with --fail-on-change); 2 unusable input (file, object and field named)."})
final class ReachCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The command with its subcommands, reading stdin and clusters as given (tests pass their own). */
    static picocli.CommandLine command(InputStream stdin, Function<String, KubernetesClient> clients) {
        picocli.CommandLine reach = new picocli.CommandLine(new ReachCommand());
        for (Base sub : List.of(new ListCommand(), new DiffCommand(), new ExplainCommand(), new WhoCommand())) {
            sub.stdin = stdin;
            sub.clients = clients;
            reach.addSubcommand(sub);
        }
        return reach;
    }

    /** The view of {@code --by}. */
    enum By {
        workload,
        identity,
        group
    }

    /** Where the objects come from: paths, or {@code --cluster}. */
    static final class Source {
        @Option(names = "--cluster", description = "Read the current kubeconfig context's cluster instead of files (read only).")
        boolean cluster;

        @Option(names = "--context", paramLabel = "NAME", description = "kubeconfig context for --cluster. Default: the current one.")
        String context;

        @Option(names = "--guardrails-namespace", paramLabel = "NS", defaultValue = "${env:IDGATE_GUARDRAILS_NAMESPACE:-idgate-system}",
                description = "With --cluster: where the guardrail ConfigMaps are (for --by group). Default: ${DEFAULT-VALUE}.")
        String guardrailsNamespace;

        @Option(names = {"-n", "--namespace"}, paramLabel = "NS", defaultValue = "default",
                description = "Namespace of objects written without one (as kubectl apply -n). Default: ${DEFAULT-VALUE}.")
        String namespace;
    }

    /** Options every listing subcommand shares. */
    static final class Shown {
        @Option(names = "--by", paramLabel = "VIEW", defaultValue = "workload",
                description = "workload, identity (ServiceAccounts) or group (guardrail groups). Default: ${DEFAULT-VALUE}.")
        By by;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "txt",
                description = "txt, json, csv, md, dot, svg or html. Default: ${DEFAULT-VALUE}.")
        String output;

        @Option(names = "--focus", paramLabel = "PEER", description = "Only edges from or to this peer (ns/name, ns/name[Kind], or a namespace ns/*).")
        String focus;

        @Option(names = "--spoofable", description = "Only edges a pod author could obtain by choosing labels.")
        boolean spoofable;
    }

    /** What a run found, and its exit code. */
    /** @param judged invariant violations, printed to stderr as {@code <action>: <line>} */
    record Outcome(String out, List<String> warnings, List<String> errors, int exit, List<Violation> judged) {
        Outcome(String out, List<String> warnings, List<String> errors, int exit) {
            this(out, warnings, errors, exit, List.of());
        }

        static Outcome unusable(List<String> errors, List<String> warnings) {
            return new Outcome("", warnings, errors, Report.EXIT_UNUSABLE);
        }
    }

    /** Base of the subcommands: loading, views, printing. */
    abstract static class Base implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        IdentityOptions identity;

        @ArgGroup(exclusive = false, heading = "Source:%n")
        Source source = new Source();

        Function<String, KubernetesClient> clients;
        InputStream stdin;

        abstract Outcome run(IdentityDeriver deriver);

        @Override
        public Integer call() {
            Outcome outcome;
            try {
                outcome = run(identity.deriver(null));
            } catch (UsageError e) {
                outcome = Outcome.unusable(List.of(e.getMessage()), List.of());
            }
            PrintWriter out = spec.commandLine().getOut();
            out.print(outcome.out());
            out.flush();
            PrintWriter err = spec.commandLine().getErr();
            outcome.warnings().forEach(w -> err.println("warning: " + w));
            outcome.judged().forEach(v -> err.println(v.action().wire() + ": " + v.line()));
            outcome.errors().forEach(e -> err.println("error: " + e));
            if (!outcome.errors().isEmpty()) {
                err.println("error: unusable input (" + outcome.errors().size() + " problem" + (outcome.errors().size() == 1 ? "" : "s")
                        + "); fix " + (outcome.errors().size() == 1 ? "it" : "them") + " and run again");
            }
            err.flush();
            return outcome.exit();
        }

        /** What reading the inputs gave: the reachability, or the errors that make the inputs unusable. */
        record Loaded(Reachability reach, List<String> warnings, List<String> errors, GuardrailSnapshot guardrails) {
            boolean unusable() {
                return !errors.isEmpty();
            }

            Outcome outcome(String out, int exit) {
                return new Outcome(out, warnings, errors, exit);
            }
        }

        /** The world of {@code paths} (or of the cluster). */
        Loaded load(List<String> paths, IdentityDeriver deriver) {
            List<String> warnings = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            ClusterObjects objects;
            if (source.cluster) {
                if (paths != null && !paths.isEmpty()) {
                    throw new UsageError("give either PATH... or --cluster, not both");
                }
                KubernetesClient client = clients.apply(source.context);
                try {
                    objects = ClusterObjects.fetch(client, source.guardrailsNamespace, deriver.keys().prefix() + "/guardrails");
                } catch (KubernetesClientException e) {
                    throw new UsageError(ClusterProblems.describe(client, e, "get/list on namespaces, serviceaccounts, pods and networkpolicies in every"
                            + " namespace, and on configmaps in the guardrails namespace"));
                }
            } else {
                if (paths == null || paths.isEmpty()) {
                    throw new UsageError("give the manifests to read (files or directories, - for stdin), or --cluster");
                }
                Inputs inputs = Inputs.read(paths, stdin);
                errors.addAll(inputs.errors());
                warnings.addAll(inputs.skipped());
                objects = ClusterObjects.of(inputs.objects(), source.namespace);
            }
            ReachWorlds.Loaded loaded = ReachWorlds.of(objects, deriver);
            errors.addAll(loaded.problems());
            warnings.addAll(loaded.warnings());
            return new Loaded(errors.isEmpty() ? Reachability.of(loaded.world(), deriver.keys()) : null, warnings, errors, loaded.guardrails());
        }

        static ReachGraph view(Reachability r, By by) {
            return Views.of(r, by.name());
        }

        static ReachOutput format(String name) {
            try {
                return ReachOutput.of(name.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageError("-o: " + e.getMessage());
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every ordered pair of peers with a connection, and its connections.")
    static final class ListCommand extends Base {
        @Mixin
        Shown shown = new Shown();

        @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or directories (.yaml, .yml, .json), or - for stdin.")
        List<String> paths = new ArrayList<>();

        @Override
        Outcome run(IdentityDeriver deriver) {
            ReachOutput format = format(shown.output);
            Loaded loaded = load(paths, deriver);
            if (loaded.unusable()) {
                return loaded.outcome("", Report.EXIT_UNUSABLE);
            }
            Reachability r = loaded.reach();
            List<String> warnings = loaded.warnings();
            ReachGraph graph = Focus.apply(view(r, shown.by), shown.focus, shown.spoofable);
            return new Outcome(format.list(ReachRendering.graph(graph)), warnings, List.of(), Report.EXIT_OK);
        }
    }

    @Command(name = "diff", mixinStandardHelpOptions = true,
            description = "What changes between two sets of manifests: + added, - removed, ~ changed connections.")
    static final class DiffCommand extends Base {
        @Mixin
        Shown shown = new Shown();

        @Parameters(index = "0", paramLabel = "BEFORE", description = "File or directory: the manifests as they are.")
        String before;

        @Parameters(index = "1", paramLabel = "AFTER", description = "File or directory: the manifests as they would be.")
        String after;

        @Option(names = "--fail-on-change", description = "Exit 1 when anything changes (a CI gate on reachability).")
        boolean failOnChange;

        @Override
        Outcome run(IdentityDeriver deriver) {
            if (source.cluster) {
                throw new UsageError("reach diff compares two sets of files; --cluster is for list, explain and who");
            }
            ReachOutput format = format(shown.output);
            Loaded first = load(List.of(before), deriver);
            Loaded second = load(List.of(after), deriver);
            List<String> warnings = new ArrayList<>(first.warnings());
            warnings.addAll(second.warnings());
            if (first.unusable() || second.unusable()) {
                List<String> errors = new ArrayList<>(first.errors());
                errors.addAll(second.errors());
                return Outcome.unusable(errors, warnings);
            }
            Reachability[] both = Reachability.comparable(first.reach().world(), second.reach().world(), deriver.keys());
            Reachability a = both[0];
            Reachability b = both[1];
            ReachDiff diff = ReachDiff.of(Focus.apply(view(a, shown.by), shown.focus, shown.spoofable),
                    Focus.apply(view(b, shown.by), shown.focus, shown.spoofable));
            // the invariants of AFTER judge what the change opens, as the webhook would judge it applied
            InvariantCheck invariants = new InvariantCheck(second.guardrails().invariants(), deriver.config());
            List<Violation> broken = invariants.isEmpty() ? List.of()
                    : invariants.opened(ReachDiff.of(a.graph(), b.graph()), b, InvariantCheck.Subject.at("reachability"));
            boolean denied = broken.stream().anyMatch(v -> v.action() == Action.DENY) || (failOnChange && !diff.isEmpty());
            return new Outcome(format.diff(ReachRendering.diff(diff)), warnings, List.of(), denied ? Report.EXIT_DENIED : Report.EXIT_OK, broken);
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = "Which policy and rule allows or isolates each direction between two peers.")
    static final class ExplainCommand extends Base {
        @Parameters(index = "0", paramLabel = "SRC", description = "ns/name[Kind], ns/name, or an IPv4 address.")
        String src;

        @Parameters(index = "1", paramLabel = "DST", description = "ns/name[Kind], ns/name, or an IPv4 address.")
        String dst;

        @Parameters(index = "2..*", arity = "0..*", paramLabel = "PATH", description = "Files or directories, or - for stdin.")
        List<String> paths = new ArrayList<>();

        @Option(names = "--port", paramLabel = "PORT[/PROTO]", description = "Only this port, e.g. 8080/TCP, 53/UDP (protocol default TCP).")
        String port;

        @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "txt", description = "txt or json. Default: ${DEFAULT-VALUE}.")
        String output;

        @Override
        Outcome run(IdentityDeriver deriver) {
            Integer number = null;
            Protocol protocol = null;
            if (port != null) {
                String[] parts = port.split("/", 2);
                try {
                    number = Integer.parseInt(parts[0]);
                } catch (NumberFormatException e) {
                    throw new UsageError("--port " + port + ": write a port number, e.g. 8080/TCP or 53/UDP");
                }
                if (number < 1 || number > 65535) {
                    throw new UsageError("--port " + port + ": a port is 1-65535");
                }
                if (parts.length == 2) {
                    protocol = Protocol.fromWire(parts[1].toUpperCase(Locale.ROOT)).orElseThrow(
                            () -> new UsageError("--port " + port + ": the protocol is TCP, UDP or SCTP"));
                }
            }
            if (!output.equals("txt") && !output.equals("json")) {
                throw new UsageError("-o: explain prints txt or json");
            }
            Loaded loaded = load(paths, deriver);
            if (loaded.unusable()) {
                return loaded.outcome("", Report.EXIT_UNUSABLE);
            }
            Reachability r = loaded.reach();
            List<String> warnings = loaded.warnings();
            String from = Focus.resolve(r.graph(), src);
            String to = Focus.resolve(r.graph(), dst);
            var explanation = Explanation.of(r.world(), deriver.keys(), from, to, number, protocol);
            if (explanation.isEmpty()) {
                return Outcome.unusable(List.of("no peer named " + (Focus.known(r.graph(), from) ? dst : src)
                        + " in the inputs; idgate reach list shows the names"), warnings);
            }
            return new Outcome(output.equals("json") ? ReachExplain.json(explanation.get()) : ReachExplain.text(explanation.get()),
                    warnings, List.of(), Report.EXIT_OK);
        }
    }

    @Command(name = "who", mixinStandardHelpOptions = true, description = "Who can reach a peer (--to), or whom a peer can reach (--from).")
    static final class WhoCommand extends Base {
        @Mixin
        Shown shown = new Shown();

        @ArgGroup(exclusive = true, multiplicity = "1")
        Direction direction;

        static final class Direction {
            @Option(names = "--to", paramLabel = "PEER", description = "Edges into this peer.")
            String to;

            @Option(names = "--from", paramLabel = "PEER", description = "Edges out of this peer.")
            String from;
        }

        @Parameters(arity = "0..*", paramLabel = "PATH", description = "Files or directories, or - for stdin.")
        List<String> paths = new ArrayList<>();

        @Override
        Outcome run(IdentityDeriver deriver) {
            ReachOutput format = format(shown.output);
            Loaded loaded = load(paths, deriver);
            if (loaded.unusable()) {
                return loaded.outcome("", Report.EXIT_UNUSABLE);
            }
            Reachability r = loaded.reach();
            List<String> warnings = loaded.warnings();
            ReachGraph graph = view(r, shown.by);
            String asked = direction.to != null ? direction.to : direction.from;
            String peer = Focus.resolve(graph, asked);
            if (!Focus.known(graph, peer)) {
                return Outcome.unusable(List.of("no peer named " + asked + " in the " + shown.by + " view; idgate reach list --by "
                        + shown.by + " shows the names"), warnings);
            }
            List<Edge> edges = direction.to != null ? graph.into(peer) : graph.outOf(peer);
            ReachGraph shownGraph = Focus.apply(new ReachGraph(graph.view(), graph.nodes(), edges, graph.warnings()), null, shown.spoofable);
            return new Outcome(format.list(ReachRendering.graph(shownGraph)), warnings, List.of(), Report.EXIT_OK);
        }
    }
}
