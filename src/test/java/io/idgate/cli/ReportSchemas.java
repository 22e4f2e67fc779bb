package io.idgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The schemas idgate's reports must satisfy (src/test/resources/schemas/README.md): SARIF 2.1.0, and
 * the openAPIV3Schema of the wgpolicyk8s.io/v1alpha2 CRDs, read as JSON schema (draft 4, which
 * OpenAPI 3.0's schema objects are a dialect of).
 */
final class ReportSchemas {

    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper YAML = new YAMLMapper();
    private static final Path DIR = Path.of("src/test/resources/schemas");
    private static final SchemaRegistry DRAFT_4 = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4);

    static final Schema SARIF = DRAFT_4.getSchema(read(JSON, "sarif-schema-2.1.0.json"));

    private ReportSchemas() {}

    private static JsonNode read(ObjectMapper mapper, String file) {
        try {
            return mapper.readTree(DIR.resolve(file).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CRD's schema of {@code kind} (PolicyReport or ClusterPolicyReport). */
    static Schema crd(String kind) {
        try {
            for (JsonNode crd : YAML.readerFor(JsonNode.class).<JsonNode>readValues(DIR.resolve("wgpolicyk8s.io-v1alpha2-crds.yaml").toFile()).readAll()) {
                if (crd.path("spec").path("names").path("kind").asText().equals(kind)) {
                    ObjectNode schema = (ObjectNode) crd.path("spec").path("versions").path(0).path("schema").path("openAPIV3Schema").deepCopy();
                    return DRAFT_4.getSchema(schema);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalArgumentException("no CRD of kind " + kind);
    }

    /** The validation errors of {@code doc}, one line each; empty when it is valid. */
    static List<String> errors(Schema schema, JsonNode doc) {
        List<String> out = new ArrayList<>();
        schema.validate(doc).forEach(e -> out.add(e.toString()));
        return out;
    }

    /** The documents of multi-document YAML output. */
    static List<JsonNode> documents(String yaml) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (JsonNode d : YAML.readerFor(JsonNode.class).<JsonNode>readValues(yaml).readAll()) {
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    out.add(d);
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
