package io.idgate.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What package-info says reach and netpol may import, checked on their sources (an ArchUnit rule set is yet to come). */
class PackageRulesTest {

    static final List<String> ALLOWED = List.of("java.", "io.idgate.netpol.", "io.idgate.identity.", "io.idgate.reach.",
            "io.fabric8.kubernetes.api.model.", "com.fasterxml.jackson.databind.");

    @Test
    void reachAndNetpolImportOnlyWhatTheyMay() throws IOException {
        List<String> bad = new ArrayList<>();
        for (String pkg : List.of("reach", "netpol")) {
            try (Stream<Path> files = Files.list(Path.of("src/main/java/io/idgate/" + pkg))) {
                for (Path f : files.sorted().toList()) {
                    for (String line : Files.readAllLines(f)) {
                        if (line.startsWith("import ")) {
                            String name = line.substring(7).replace("static ", "").trim();
                            boolean ok = ALLOWED.stream().anyMatch(name::startsWith) && !(pkg.equals("netpol") && name.startsWith("io.idgate.reach."))
                                    && !(pkg.equals("netpol") && name.startsWith("com.fasterxml."));
                            if (!ok) {
                                bad.add(f.getFileName() + ": " + line);
                            }
                        }
                        for (String word : List.of("io.idgate.guardrails", "io.idgate.k8s", "io.idgate.render", "io.fabric8.kubernetes.client")) {
                            if (line.contains(word) && !line.trim().startsWith("*")) {
                                bad.add(f.getFileName() + ": " + line.trim());
                            }
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), bad);
    }
}
