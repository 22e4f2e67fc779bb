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
public record ShippedJvm(List<String> flags, Map<String, String> environment) {

    public static final Path DEPLOYMENT = Path.of("k8s/base/deployment.yaml");

    public static ShippedJvm read() {
        return read(DEPLOYMENT);
    }

    public static ShippedJvm read(Path deployment) {
        JsonNode env;
        try {
            env = new YAMLMapper().readTree(deployment.toAbsolutePath().toFile()).at("/spec/template/spec/containers/0/env");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return new ShippedJvm(flags, Map.copyOf(environment));
    }

    /** Flags and environment as one line: {@code MALLOC_ARENA_MAX=2 -Xmx… …}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        environment.forEach((k, v) -> s.append(k).append('=').append(v).append(' '));
        return s.append(String.join(" ", flags)).toString();
    }
}
