package io.idgate.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** yaml/ is a leaf every package may use, so it imports nothing of idgate's and nothing but the JDK and SnakeYAML. */
class YamlPackageImportsTest {

    @Test
    void theYamlPackageImportsOnlyTheJdkAndSnakeYaml() throws IOException {
        List<String> foreign;
        try (Stream<Path> files = Files.list(Path.of("src/main/java/io/idgate/yaml"))) {
            foreign = files.sorted().flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream().filter(l -> l.startsWith("import ")).map(l -> f.getFileName() + ": " + l);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).filter(l -> !l.matches(".*: import (static )?(java\\.|org\\.yaml\\.snakeyaml\\.).*")).toList();
        }
        assertEquals(List.of(), foreign);
    }
}
