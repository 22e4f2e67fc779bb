package io.idgate.cli;

import io.fabric8.kubernetes.client.Config;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Whether a cluster command has anything to connect to, decided before connecting. Without a
 * kubeconfig and outside a cluster, fabric8 falls back to {@code https://kubernetes.default.svc} and
 * retries for about 20 seconds before failing: a CI job would hang, then print a network error that
 * does not say the kubeconfig is missing.
 */
final class Kubeconfigs {

    /** Where a pod finds its ServiceAccount token (fabric8 reads it when in a cluster). */
    private static final Path IN_CLUSTER_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");

    private Kubeconfigs() {}

    /** The client config of the kubeconfig (or the pod), or a {@link UsageError} saying what is missing and how to give it. */
    static Config config(String context, Map<String, String> env) {
        // kubectl's and fabric8's home: $HOME first (Java's user.home comes from the password database)
        String home = notBlank(env.get("HOME")) ? env.get("HOME") : System.getProperty("user.home");
        String problem = missing(env, home);
        if (problem != null) {
            throw new UsageError(problem);
        }
        Config config = context == null ? Config.autoConfigure(null) : Config.autoConfigure(context);
        if (context == null && config.getCurrentContext() == null && !inCluster(env)) {
            Path named = namingCurrentContext(env, home);
            if (named == null) {
                throw new UsageError("the kubeconfig (" + files(env, home) + ") has no current-context; pass --context NAME"
                        + " (kubectl config get-contexts lists them) or run kubectl config use-context NAME");
            }
            // the file names one, but fabric8's auto-configuration dropped it (it does when a credential does not load):
            // read that file directly, so the real cause surfaces as one line
            try {
                return Config.fromKubeconfig(null, Files.readString(named), named.toString());
            } catch (java.io.IOException e) {
                throw new UsageError("cannot read the kubeconfig " + named + ": " + e.getMessage());
            } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                // name the server the file's context names (the dropped config may point elsewhere)
                Config named0 = new io.fabric8.kubernetes.client.ConfigBuilder(Config.empty()).withMasterUrl(server(named)).build();
                throw new UsageError(ClusterProblems.credentials(named0, null, e));
            }
        }
        return config;
    }

    /** The server of the current context of the kubeconfig {@code file}, or "" when it names none. */
    private static String server(Path file) {
        var parsed = io.fabric8.kubernetes.client.internal.KubeConfigUtils.parseConfig(file.toFile());
        String cluster = parsed.getContexts().stream().filter(c -> parsed.getCurrentContext().equals(c.getName())).findFirst()
                .map(c -> c.getContext().getCluster()).orElse("");
        return parsed.getClusters().stream().filter(c -> c.getName().equals(cluster)).findFirst().map(c -> c.getCluster().getServer()).orElse("");
    }

    /** The first kubeconfig file that sets {@code current-context} (as for kubectl), or null. */
    private static Path namingCurrentContext(Map<String, String> env, String home) {
        for (Path file : candidates(env, home)) {
            try {
                if (Files.isRegularFile(file) && notBlank(io.fabric8.kubernetes.client.internal.KubeConfigUtils.parseConfig(file.toFile()).getCurrentContext())) {
                    return file;
                }
            } catch (RuntimeException e) {
                return null; // unreadable: the caller's message names the files
            }
        }
        return null;
    }

    /** Why no cluster can be configured (no kubeconfig file, not in a pod, no master given), or null. */
    static String missing(Map<String, String> env, String home) {
        if (inCluster(env) || notBlank(env.get("KUBERNETES_MASTER")) || notBlank(System.getProperty(Config.KUBERNETES_MASTER_SYSTEM_PROPERTY))) {
            return null;
        }
        List<Path> candidates = candidates(env, home);
        if (candidates.stream().anyMatch(Files::isRegularFile)) {
            return null;
        }
        String kubeconfig = env.get("KUBECONFIG");
        return "no kubeconfig found: " + (notBlank(kubeconfig) ? "KUBECONFIG=" + kubeconfig + " names no existing file"
                : "KUBECONFIG is not set and " + candidates.get(0) + " does not exist")
                + ", and idgate is not running in a pod; set KUBECONFIG=/path/to/kubeconfig (or write ~/.kube/config,"
                + " e.g. with your cloud's get-credentials command), and choose a context with --context NAME";
    }

    private static List<Path> candidates(Map<String, String> env, String home) {
        String kubeconfig = env.get("KUBECONFIG");
        if (notBlank(kubeconfig)) {
            return Arrays.stream(kubeconfig.split(File.pathSeparator)).filter(Kubeconfigs::notBlank).map(Path::of).toList();
        }
        String property = System.getProperty(Config.KUBERNETES_KUBECONFIG_FILE);
        if (notBlank(property)) {
            return List.of(Path.of(property));
        }
        return List.of(Path.of(home == null ? "" : home, ".kube", "config"));
    }

    private static String files(Map<String, String> env, String home) {
        return String.join(", ", candidates(env, home).stream().filter(Files::isRegularFile).map(Path::toString).toList());
    }

    private static boolean inCluster(Map<String, String> env) {
        return notBlank(env.get("KUBERNETES_SERVICE_HOST")) && Files.isReadable(IN_CLUSTER_TOKEN);
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
