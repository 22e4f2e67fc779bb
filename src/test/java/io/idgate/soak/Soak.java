package io.idgate.soak;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.idgate.k8s.InformerServiceAccountLookup;
import io.idgate.k8s.ServiceAccountLookup;
import io.idgate.k8s.ServiceAccounts;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak: idgate on a real kube-apiserver answers a fixed-rate mix of valid reviews while guardrail
 * ConfigMaps and a ServiceAccount churn through the API server, and every answer is judged against the
 * oracle (idgate's engine in-process, over the same world) for each version of the world that could
 * have been in force. Criteria: no wrong and no stale decision, no non-200 answer or transport error,
 * every uid echoed, the rate held, and no upward trend of the live heap.
 *
 * <p>{@code make soak} runs {@link #main}; the e2e suite runs a short one ({@code SoakE2eTest}).
 */
public final class Soak {

    /**
     * Settings of a run.
     *
     * @param heapThresholdBytesPerMinute the largest live-heap slope that passes; NaN: reported, not judged (runs too short to fit a trend)
     */
    public record Options(double minutes, int rate, double warmupSeconds, double churnSeconds, double windowSeconds, double heapIntervalSeconds,
            double heapThresholdBytesPerMinute, long seed) {

        /** {@code --minutes=10 --rate=200 ...}; unknown flags are an error. */
        static Options parse(List<String> args) {
            var o = new java.util.HashMap<String, String>();
            for (String a : args) {
                if (!a.startsWith("--") || !a.contains("=")) {
                    throw new IllegalArgumentException("expected --name=value, got " + a);
                }
                o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
            Options out = new Options(d(o.remove("minutes"), 10), (int) d(o.remove("rate"), 200), d(o.remove("warmup-seconds"), 10),
                    d(o.remove("churn-seconds"), 3),
                    d(o.remove("window-seconds"), 2), d(o.remove("heap-interval-seconds"), 10),
                    d(o.remove("heap-threshold-bytes-per-minute"), DEFAULT_HEAP_THRESHOLD), (long) d(o.remove("seed"), 1));
            if (!o.isEmpty()) {
                throw new IllegalArgumentException("unknown options " + o.keySet());
            }
            return out;
        }

        private static double d(String value, double fallback) {
            return value == null || value.isBlank() ? fallback : Double.parseDouble(value);
        }
    }

    /**
     * The largest live-heap slope that passes, in bytes per minute: 256 KiB/min. See the {@code ## Soak}
     * section of docs/security.md for why (the shipped heap's headroom, and the noise measured here).
     */
    static final double DEFAULT_HEAP_THRESHOLD = 256 * 1024;
    static final String GUARDRAIL_WEBHOOK = "guardrails.validate.idgate.io";

    private final SoakCluster cluster;
    private final Options options;
    private final List<String> failures = new ArrayList<>();
    private volatile boolean stopping;
    private double loadAtStart;

    public Soak(SoakCluster cluster, Options options) {
        this.cluster = cluster;
        this.options = options;
    }

    /** Runs the soak and returns its results (also the verdict: {@link SoakReport#passed()}). */
    public SoakReport run() throws Exception {
        loadAtStart = SoakReport.loadavg();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(cluster.adminConfig()).build()) {
            ValidatingWebhook guardrailWebhook = prepare(client);
            try {
                return soak(client);
            } finally {
                Churn.clear(client);
                client.configMaps().inNamespace(Oracle.GUARDRAILS_NAMESPACE).withName("soak-pci").delete();
                restoreGuardrailWebhook(client, guardrailWebhook);
            }
        }
    }

    /** Namespaces, ServiceAccounts, the stored default-deny, soak-pci version 1, and the guardrail webhook out of the way. */
    private ValidatingWebhook prepare(KubernetesClient client) {
        for (String ns : Scenario.NAMESPACES) {
            // as e2e/kube.sh ns does: no controller-manager makes the "default" ServiceAccount
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build()).createOr(r -> r.update());
            client.serviceAccounts().inNamespace(ns).resource(new ServiceAccountBuilder().withNewMetadata().withName("default").endMetadata().build())
                    .createOr(r -> r.update());
        }
        Churn.clear(client);
        Scenario.manifests("serviceaccounts.yaml", ServiceAccount.class).forEach(sa -> client.resource(sa).createOr(r -> r.update()));
        Scenario.manifests("networkpolicies.yaml", NetworkPolicy.class).forEach(np -> client.resource(np).createOr(r -> r.update()));
        ValidatingWebhook removed = removeGuardrailWebhook(client);
        client.resource(Churn.configMap("guardrails-pci-v1.yaml")).createOr(r -> r.update());
        return removed;
    }

    private SoakReport soak(KubernetesClient client) throws Exception {
        long started = System.nanoTime();
        String[] reasons = missReasons(client);
        Oracle oracle = oracleOfStoredWorld(client, reasons, List.of());
        Oracle changed = oracleOfStoredWorld(client, reasons, List.of("guardrails-pci-v2.yaml", "guardrails-team.yaml"));
        List<Scenario.Template> templates = Scenario.templates(oracle::mutated, changed::mutated);
        Timeline timeline = new Timeline((long) (options.windowSeconds() * 1e9));
        String[][] initial = oracle.expectAll(templates);
        timeline.commit(timeline.begin("initial: soak-pci version 1 (and the guardrail ConfigMaps already stored)", Long.MIN_VALUE),
                Long.MIN_VALUE, initial);
        calibrate(templates, timeline);
        log("calibrated in %.1f s: %d templates, idgate agrees with the oracle on each", (System.nanoTime() - started) / 1e9, templates.size());
        Tally warmup = warmUp(templates, timeline);
        long countedBefore = serverCount();

        Tally tally = new Tally(templates);
        BlockingQueue<Load.Done> answers = new LinkedBlockingQueue<>();
        Load load = new Load(cluster.webhookClient(), cluster.webhookBase(), templates, answers::add);
        Churn churn = new Churn(client, oracle, timeline, templates, initial);
        HeapTrend heap = new HeapTrend(cluster::idgate, cluster::metrics);
        long loadStart = System.nanoTime();
        Thread judge = thread("soak-judge", () -> judge(answers, timeline, tally));
        Thread churner = thread("soak-churn", () -> every(options.churnSeconds(), loadStart, churn::step, load));
        Thread sampler = thread("soak-heap", () -> every(options.heapIntervalSeconds(), loadStart - (long) (options.heapIntervalSeconds() * 1e9),
                () -> heap.sample((System.nanoTime() - loadStart) / 60e9), null));
        log("load: %d reviews/s for %.1f min, churn every %.1f s, window %.1f s", options.rate(), options.minutes(), options.churnSeconds(),
                options.windowSeconds());
        int sent = load.run(options.rate(), options.minutes() * 60, options.seed());
        stopping = true;
        churner.join();
        sampler.join();
        judge.join();
        heap.sample((System.nanoTime() - loadStart) / 60e9);
        long counted = serverCount() - countedBefore;
        return SoakReport.of(options, loadAtStart, templates, timeline, warmup, tally, churn.counts(), heap, sent, load.maxInFlight(), counted,
                (System.nanoTime() - loadStart) / 60e9, failures);
    }

    /**
     * The load at its full rate for a few seconds before the run, without churn: JIT compilation and
     * the first connections of a fresh JVM (ours and idgate's) otherwise land in the run. Its answers
     * are judged and reported, but not held against the criteria (measured: on a loaded 2-core box the
     * first second of load on fresh JVMs answers in up to a second).
     */
    private Tally warmUp(List<Scenario.Template> templates, Timeline timeline) throws InterruptedException {
        Tally warmup = new Tally(templates);
        if (options.warmupSeconds() > 0) {
            List<Load.Done> answers = java.util.Collections.synchronizedList(new ArrayList<>());
            new Load(cluster.webhookClient(), cluster.webhookBase(), templates, answers::add).run(options.rate(), options.warmupSeconds(),
                    options.seed() + 1);
            synchronized (answers) {
                answers.forEach(d -> warmup.add(d, timeline));
            }
        }
        return warmup;
    }

    /** The oracle over what is stored now: the guardrail ConfigMaps (in creation order), plus {@code extra} ones; the soak's ServiceAccounts and NetworkPolicies. */
    private static Oracle oracleOfStoredWorld(KubernetesClient client, String[] missReasons, List<String> extra) {
        List<NetworkPolicy> policies = new ArrayList<>();
        Scenario.NAMESPACES.forEach(ns -> policies.addAll(client.network().v1().networkPolicies().inNamespace(ns).list().getItems()));
        Oracle oracle = new Oracle(policies, missReasons[0], missReasons[1]);
        client.configMaps().inNamespace(Oracle.GUARDRAILS_NAMESPACE).withLabel(Oracle.GUARDRAIL_LABEL, "true").list().getItems().stream()
                .sorted(Comparator.comparing((ConfigMap cm) -> cm.getMetadata().getCreationTimestamp()).thenComparing(cm -> cm.getMetadata().getName()))
                .filter(cm -> extra.isEmpty() || !cm.getMetadata().getName().equals("soak-pci"))
                .forEach(oracle::apply);
        extra.forEach(resource -> oracle.apply(Churn.configMap(resource)));
        Scenario.NAMESPACES.forEach(ns -> client.serviceAccounts().inNamespace(ns).list().getItems()
                .forEach(sa -> oracle.putServiceAccount(ServiceAccounts.info(sa))));
        return oracle;
    }

    /**
     * The reasons idgate's own ServiceAccount lookup gives for a miss, taken from it rather than copied:
     * a GET that finds nothing, and a GET cut off at idgate's default timeout (500 ms, which the harness
     * keeps) because it waited behind another.
     */
    private static String[] missReasons(KubernetesClient client) throws InterruptedException {
        ExecutorService gets = Executors.newSingleThreadExecutor();
        CountDownLatch release = new CountDownLatch(1);
        try (var lookup = new InformerServiceAccountLookup(client, Duration.ofSeconds(10), gets);
                var stalled = new InformerServiceAccountLookup(client, Duration.ofMillis(500), gets)) {
            String missing = ((ServiceAccountLookup.Missing) lookup.resolve("soak-payments", "soak-oracle-probe").toCompletableFuture().join()).reason();
            gets.execute(() -> {
                try {
                    release.await(); // holds the only thread: the next GET waits past its timeout
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            String timedOut = ((ServiceAccountLookup.Missing) stalled.resolve("soak-payments", "soak-oracle-probe").toCompletableFuture().join()).reason();
            return new String[] {missing, timedOut};
        } finally {
            release.countDown();
            gets.shutdown();
        }
    }

    /**
     * Sends each template once until idgate answers all of them as the oracle does (soak-pci version 1
     * has reached it), at most 30 s. A template it never agrees on is a set-up error (different
     * settings, a world the oracle does not see), reported before any load.
     */
    private void calibrate(List<Scenario.Template> templates, Timeline timeline) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            List<String> disagreements = new ArrayList<>();
            for (int i = 0; i < templates.size(); i++) {
                Scenario.Template t = templates.get(i);
                HttpResponse<byte[]> r = cluster.webhookClient().send(HttpRequest.newBuilder(cluster.webhookBase().resolve(t.path()))
                        .timeout(Load.TIMEOUT).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(t.body("calibration-" + i))).build(), HttpResponse.BodyHandlers.ofByteArray());
                String decision = Answers.read(r.statusCode(), r.body()).decision();
                String expected = timeline.versions().get(0).expected(i);
                if (!decision.equals(expected)) {
                    disagreements.add(t.name() + "\n  idgate: " + decision + "\n  oracle: " + expected);
                }
            }
            if (disagreements.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("idgate and the oracle disagree before any churn (set-up error):\n" + String.join("\n", disagreements));
            }
            Thread.sleep(500);
        }
    }

    /** Judges answers once every version that could have shaped them is settled; runs until the load and the churn are done. */
    private void judge(BlockingQueue<Load.Done> answers, Timeline timeline, Tally tally) throws InterruptedException {
        while (true) {
            Load.Done d = answers.poll(100, TimeUnit.MILLISECONDS);
            if (d == null) {
                if (stopping) {
                    return;
                }
                continue;
            }
            while (!timeline.settledUpTo(d.answeredNanos())) {
                Thread.sleep(5); // the churn thread is computing that version's expectations
            }
            tally.add(d, timeline);
        }
    }

    /** Calls {@code action} every {@code seconds} after {@code from} until the run stops; a failure stops the load. */
    private void every(double seconds, long from, Action action, Load load) throws InterruptedException {
        long period = (long) (seconds * 1e9);
        for (long n = 1; !stopping; n++) {
            long due = from + n * period;
            while (!stopping && System.nanoTime() < due) {
                Thread.sleep(Math.max(1, Math.min(100, (due - System.nanoTime()) / 1_000_000)));
            }
            if (stopping) {
                return;
            }
            try {
                action.run();
            } catch (Exception | AssertionError e) {
                synchronized (failures) {
                    failures.add(Thread.currentThread().getName() + ": " + e);
                }
                log("%s failed: %s", Thread.currentThread().getName(), e);
                if (load != null) {
                    load.stop(); // the oracle no longer knows the world: stop rather than judge against a guess
                    return;
                }
            }
        }
    }

    /** Reviews idgate counted ({@code idgate_admission_requests_total}, every webhook and decision). */
    private long serverCount() {
        Matcher m = Pattern.compile("(?m)^idgate_admission_requests_total\\{[^}]*\\} (\\S+)$").matcher(cluster.metrics());
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return (long) total;
    }

    // ---- the guardrail validating webhook ----

    /**
     * Unregisters {@code guardrails.validate.idgate.io} for the run, so a broken guardrail ConfigMap
     * reaches the cluster as it does when that webhook is down (its failurePolicy is Ignore): idgate must
     * then keep the last valid version. Returns the webhook, to put back.
     */
    private static ValidatingWebhook removeGuardrailWebhook(KubernetesClient client) {
        var resource = client.admissionRegistration().v1().validatingWebhookConfigurations().withName("idgate");
        ValidatingWebhookConfiguration vwc = resource.get();
        ValidatingWebhook webhook = vwc == null ? null
                : vwc.getWebhooks().stream().filter(w -> w.getName().equals(GUARDRAIL_WEBHOOK)).findFirst().orElse(null);
        if (webhook != null) {
            vwc.getWebhooks().remove(webhook);
            client.resource(vwc).update();
        }
        await("a broken guardrail ConfigMap is admitted", () -> brokenAdmitted(client));
        return webhook;
    }

    private static void restoreGuardrailWebhook(KubernetesClient client, ValidatingWebhook webhook) {
        if (webhook == null) {
            return;
        }
        var resource = client.admissionRegistration().v1().validatingWebhookConfigurations().withName("idgate");
        ValidatingWebhookConfiguration vwc = resource.get();
        if (vwc.getWebhooks().stream().noneMatch(w -> w.getName().equals(GUARDRAIL_WEBHOOK))) {
            vwc.getWebhooks().add(webhook);
            client.resource(vwc).update();
        }
        await("the guardrail webhook refuses a broken ConfigMap again", () -> !brokenAdmitted(client));
    }

    /** Whether the API server would store a broken guardrail ConfigMap now (a server-side dry run). */
    private static boolean brokenAdmitted(KubernetesClient client) {
        ConfigMap probe = Churn.configMap("guardrails-pci-broken.yaml");
        probe.getMetadata().setName("soak-probe");
        try {
            client.resource(probe).dryRun().create();
            return true;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 400 || e.getCode() == 403 || e.getCode() == 422) {
                return false;
            }
            throw e;
        }
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not after 60 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    // ---- plumbing ----

    private interface Action {
        void run() throws Exception;
    }

    private Thread thread(String name, Action body) {
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                synchronized (failures) {
                    failures.add(name + ": " + e);
                }
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[soak] " + format + "%n", args);
    }

    /**
     * {@code make soak}: starts the e2e harness (kube-apiserver, etcd, idgate), runs the soak, writes
     * {@code target/soak/} and the {@code ## Soak} section of docs/security.md, exits 1 when a criterion fails.
     */
    public static void main(String[] args) throws Exception {
        List<String> flags = new ArrayList<>(List.of(args));
        boolean doc = !flags.remove("--no-doc");
        Options options = Options.parse(flags);
        SoakReport report;
        try {
            report = new Soak(io.idgate.e2e.E2eSoakCluster.start(), options).run();
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            System.exit(2);
            return;
        }
        Path out = Path.of("target/soak");
        report.write(out);
        if (doc) {
            report.updateDoc(Path.of("docs/security.md"));
        }
        System.out.println(report.markdown());
        System.exit(report.passed() ? 0 : 1);
    }
}
