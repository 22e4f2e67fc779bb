package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Test helpers: YAML NetworkPolicies into the fabric8 model, guardrail YAML into snapshots. */
final class Fixtures {

    static final YAMLMapper YAML = new YAMLMapper();

    private Fixtures() {}

    /** A NetworkPolicy from YAML; only {@code spec} is needed, metadata defaults to name {@code p}. */
    static NetworkPolicy policy(String yaml) {
        try {
            JsonNode tree = YAML.readTree(yaml);
            NetworkPolicy p = YAML.treeToValue(tree, NetworkPolicy.class);
            if (p.getMetadata() == null) {
                p.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName("p").build());
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A NetworkPolicy named {@code name} with the given spec (YAML of the spec's fields). */
    static NetworkPolicy policy(String name, String specYaml) {
        NetworkPolicy p = policy("spec:\n" + specYaml.indent(2));
        p.getMetadata().setName(name);
        return p;
    }

    static GuardrailDocument document(String cmName, String yaml) {
        ParseResult r = GuardrailParser.parse("idgate-system", cmName, "rules.yaml", yaml);
        if (r instanceof ParseResult.Invalid invalid) {
            fail("guardrails do not parse:\n" + String.join("\n", invalid.errors().stream().map(ParseError::text).toList()));
        }
        return ((ParseResult.Parsed) r).document();
    }

    static GuardrailSnapshot snapshot(String yaml) {
        MergeResult m = GuardrailSnapshot.merge(List.of(document("guardrails", yaml)));
        return ((MergeResult.Merged) m).snapshot();
    }

    static String resource(String path) {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
