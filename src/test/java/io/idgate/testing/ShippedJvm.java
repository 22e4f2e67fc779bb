package io.idgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The JVM flags and the process environment that the Deployment ({@code k8s/base/deployment.yaml})
 * gives idgate, read from the manifest itself, so that the benchmarks and the tests that claim "the
 * shipped flags" run what ships: {@code JAVA_OPTS_APPEND} split into flags, and the other literal
 * environment variables that tune the JVM or the C library ({@code MALLOC_*}).
 */
public record ShippedJvm(List<String> flags, Map<String, String> environment, long memoryLimitBytes) {

    public static final Path DEPLOYMENT = Path.of("k8s/base/deployment.yaml");

    public static ShippedJvm read() {
        return read(DEPLOYMENT);
    }

    public static ShippedJvm read(Path deployment) {
        JsonNode container;
        try {
            container = new YAMLMapper().readTree(deployment.toAbsolutePath().toFile()).at("/spec/template/spec/containers/0");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode env = container.path("env");
        List<String> flags = List.of();
        Map<String, String> environment = new LinkedHashMap<>();
        for (JsonNode e : env) {
            String name = e.path("name").asText();
            if (name.equals("JAVA_OPTS_APPEND")) {
                flags = Arrays.stream(e.path("value").asText().trim().split("\\s+")).filter(f -> !f.isEmpty()).toList();
            } else if (name.startsWith("MALLOC_") && e.has("value")) {
                environment.put(name, e.path("value").asText());
            }
        }
        if (flags.isEmpty()) {
            throw new IllegalStateException(deployment + " sets no JAVA_OPTS_APPEND");
        }
        return new ShippedJvm(flags, Map.copyOf(environment), bytes(container.at("/resources/limits/memory").asText()));
    }

    /** A Kubernetes memory quantity in binary units ({@code 256Mi}, {@code 1Gi}) as bytes; -1 when absent. */
    static long bytes(String quantity) {
        if (quantity.isEmpty()) {
            return -1;
        }
        for (String[] unit : new String[][] {{"Ki", "1024"}, {"Mi", "1048576"}, {"Gi", "1073741824"}}) {
            if (quantity.endsWith(unit[0])) {
                return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * Long.parseLong(unit[1]);
            }
        }
        return Long.parseLong(quantity);
    }

    /** Flags and environment as one line: {@code MALLOC_ARENA_MAX=2 -Xmx… …}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        environment.forEach((k, v) -> s.append(k).append('=').append(v).append(' '));
        return s.append(String.join(" ", flags)).toString();
    }
}
