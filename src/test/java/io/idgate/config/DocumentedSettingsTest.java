package io.idgate.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.WithName;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every {@code idgate.*} setting (and {@code IDGATE_*} environment variable) that the README, the docs,
 * the manifests, the properties file and the code's comments name exists in {@link IdgateConfig}: a
 * user who sets a name a comment gave them (once {@code idgate.tls.client-auth}) must not get silence.
 */
class DocumentedSettingsTest {

    /** {@code idgate.<a>.<b>}, not inside a longer name ({@code io.idgate.audit}) nor a label key ({@code idgate.io/x}). */
    private static final Pattern SETTING = Pattern.compile("(?<![\\w.$/-])idgate\\.([a-z][a-z0-9-]*(?:\\.[a-z][a-z0-9-]*)*)(?![\\w/-])");

    private static final Pattern ENV = Pattern.compile("\\bIDGATE_[A-Z0-9_]+\\b");

    /** Dotted words that are no settings: the label prefix, host names, file names. */
    private static final Set<String> NOT_SETTINGS = Set.of("io", "git", "sarif");

    /** Variables of the launcher ({@code bin/idgate}), not of the server. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("IDGATE_JAR", "IDGATE_JAVA_OPTS", "IDGATE_HOME");

    @Test
    void everyNamedSettingExists() throws IOException {
        Set<String> settings = settings();
        assertTrue(settings.contains("idgate.tls.client-ca") && settings.contains("idgate.reach.preview-budget"), settings.toString());
        Set<String> env = new TreeSet<>(settings.stream().map(s -> s.toUpperCase().replaceAll("[^A-Z0-9]", "_")).toList());

        List<String> unknown = new ArrayList<>();
        for (Path file : documents()) {
            // in code only the comments: strings there name meters (idgate.admission.requests) and files
            String text = file.toString().endsWith(".java") ? comments(Files.readString(file)) : Files.readString(file);
            // Prometheus rule groups in k8s/monitoring are named idgate.<area>: names, not settings
            boolean dotted = !file.startsWith(Path.of("k8s", "monitoring"));
            Matcher m = SETTING.matcher(text);
            while (dotted && m.find()) {
                String name = m.group();
                if (!NOT_SETTINGS.contains(m.group(1)) && !m.group(1).startsWith("idgate-system") && !settings.contains(name)) {
                    unknown.add(file + ": " + name);
                }
            }
            Matcher e = ENV.matcher(text);
            while (e.find()) {
                if (!LAUNCHER_VARIABLES.contains(e.group()) && !env.contains(e.group())) {
                    unknown.add(file + ": " + e.group());
                }
            }
        }
        assertEquals(List.of(), unknown, "settings named but not in IdgateConfig " + settings);
    }

    /** Every property of the mapping and every group of them ({@code idgate.tls}), as users write them. */
    static Set<String> settings() {
        Set<String> out = new TreeSet<>();
        collect(IdgateConfig.class, "idgate", out);
        return out;
    }

    private static void collect(Class<?> type, String prefix, Set<String> out) {
        for (Method m : type.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) || m.isDefault() || m.getParameterCount() > 0) {
                continue;
            }
            WithName named = m.getAnnotation(WithName.class);
            String name = prefix + "." + (named != null ? named.value() : m.getName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase());
            out.add(name);
            if (m.getReturnType().isInterface() && m.getReturnType().getEnclosingClass() == IdgateConfig.class) {
                collect(m.getReturnType(), name, out);
            }
        }
    }

    private static String comments(String java) {
        StringBuilder out = new StringBuilder();
        for (String line : java.split("\n")) {
            String t = line.strip();
            int slashes = line.indexOf("// ");
            if (t.startsWith("*") || t.startsWith("/*") || t.startsWith("//")) {
                out.append(t).append('\n');
            } else if (slashes >= 0) {
                out.append(line.substring(slashes)).append('\n');
            }
        }
        return out.toString();
    }

    private static List<Path> documents() throws IOException {
        List<Path> files = new ArrayList<>(List.of(Path.of("README.md"), Path.of("e2e/README.md"), Path.of("Makefile"),
                Path.of("src/main/resources/application.properties")));
        for (String dir : List.of("docs", "k8s", "dist", "src/main/java")) {
            try (Stream<Path> walk = Files.walk(Path.of(dir))) {
                walk.filter(Files::isRegularFile).filter(p -> p.toString().matches(".*\\.(md|ya?ml|java|properties)$")).sorted().forEach(files::add);
            }
        }
        return files;
    }
}
