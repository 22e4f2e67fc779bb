package io.idgate.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Fixture cases: one directory per case, named as a sentence, holding {@code request.json} (the body
 * the API server sends, byte for byte), {@code expected-response.json} (the answer with its patch
 * decoded to readable JSON) and optionally {@code serviceaccounts.yaml} and {@code settings.properties}.
 *
 * <p>{@code -Dfixtures.update=true} rewrites the expected files from the actual answers; read the diff.
 */
public final class Fixtures {

    public static final Path ROOT = Path.of("src/test/resources/fixtures");
    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public record Case(String name, Path dir) {
        public byte[] request() {
            try {
                return Files.readAllBytes(dir.resolve("request.json"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public Path file(String name) {
            return dir.resolve(name);
        }

        public Properties settings() {
            Properties p = new Properties();
            Path f = dir.resolve("settings.properties");
            if (Files.exists(f)) {
                try (var in = Files.newInputStream(f)) {
                    p.load(in);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return p;
        }

        private void keepRaw(int httpStatus, byte[] body) {
            String raw = System.getProperty("fixtures.raw");
            if (raw == null) {
                return;
            }
            try {
                Path file = Path.of(raw, dir.getParent().getFileName().toString(), name + ".json");
                Files.createDirectories(file.getParent());
                var out = new java.io.ByteArrayOutputStream();
                out.writeBytes((httpStatus + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.writeBytes(body);
                Files.write(file, out.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Compares the actual HTTP answer with {@code expected-response.json}, or rewrites it in update mode.
         * With {@code -Dfixtures.raw=DIR} it also keeps the answer's exact bytes in
         * {@code DIR/<suite>/<case>.json}: two runs (before and after a change to decoding or encoding)
         * then compare byte for byte with {@code diff -r}.
         */
        public void assertAnswer(int httpStatus, byte[] body) {
            keepRaw(httpStatus, body);
            ObjectNode actual = readable(httpStatus, body);
            Path expectedFile = dir.resolve("expected-response.json");
            String actualText = pretty(actual);
            if (Boolean.getBoolean("fixtures.update") || !Files.exists(expectedFile)) {
                try {
                    Files.writeString(expectedFile, actualText);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                if (!Boolean.getBoolean("fixtures.update")) {
                    throw new AssertionError("wrote missing " + expectedFile + "; review it and run again");
                }
                return;
            }
            try {
                assertEquals(pretty(JSON.readTree(expectedFile.toFile())), actualText, name);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private Fixtures() {}

    public static Stream<Case> cases(String suite) {
        try (Stream<Path> dirs = Files.list(ROOT.resolve(suite))) {
            return dirs.filter(Files::isDirectory).sorted().map(d -> new Case(d.getFileName().toString(), d)).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The answer as a reviewer reads it: HTTP status, and the body with the patch base64-decoded. */
    static ObjectNode readable(int httpStatus, byte[] body) {
        try {
            ObjectNode out = JSON.createObjectNode();
            out.put("httpStatus", httpStatus);
            JsonNode tree = JSON.readTree(body);
            JsonNode patch = tree.path("response").path("patch");
            if (patch.isTextual()) {
                ((ObjectNode) tree.get("response")).set("patch",
                        JSON.readTree(new String(Base64.getDecoder().decode(patch.textValue()), StandardCharsets.UTF_8)));
            }
            out.set("body", tree);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Pretty JSON with object keys sorted (arrays keep their order: patch order matters). */
    static String pretty(JsonNode node) {
        try {
            return JSON.writeValueAsString(sorted(node)) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> fields = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                var e = it.next();
                fields.put(e.getKey(), sorted(e.getValue()));
            }
            ObjectNode out = JSON.createObjectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            var out = JSON.createArrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }
}
