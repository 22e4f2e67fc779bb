package io.idgate.reach;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.idgate.identity.IdentityConfig;
import io.idgate.identity.IdentityKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test helpers: worlds from YAML text, and YAML for the objects tests use most. */
final class Worlds {

    static final IdentityKeys KEYS = IdentityConfig.DEFAULTS.keys();
    private static final YAMLMapper YAML = new YAMLMapper();

    private Worlds() {}

    static List<ObjectNode> objects(String yaml) {
        List<ObjectNode> out = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNextValue()) {
                JsonNode n = it.nextValue();
                if (n instanceof ObjectNode o) {
                    out.add(o);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static WorldBuilder builder(String yaml) {
        WorldBuilder b = new WorldBuilder();
        objects(yaml).forEach(o -> b.add("test.yaml", o));
        return b;
    }

    /** A world that must have no input problem. */
    static World world(String yaml) {
        WorldBuilder b = builder(yaml);
        World w = b.build();
        if (!b.problems().isEmpty()) {
            throw new AssertionError("input problems: " + b.problems());
        }
        return w;
    }

    /** Every yaml/yml/json file under {@code dir}, in name order, each object with its file name as source. */
    static WorldBuilder builder(Path dir) {
        WorldBuilder b = new WorldBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
                objects(Files.readString(f)).forEach(o -> b.add(dir.relativize(f).toString(), o));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b;
    }

    static Reachability reach(String yaml) {
        return Reachability.of(world(yaml), KEYS);
    }

    /** A Namespace with labels in flow style, e.g. {@code {team: ops}}. */
    static String ns(String name, String labels) {
        return "---\napiVersion: v1\nkind: Namespace\nmetadata: {name: " + name + ", labels: " + labels + "}\n";
    }

    /** A Deployment; {@code ports} like {@code [{name: http, containerPort: 8080}]}. */
    static String deploy(String ns, String name, String labels, String ports) {
        return "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + ", namespace: " + ns + "}\n"
                + "spec:\n  template:\n    metadata: {labels: " + labels + "}\n    spec:\n      containers:\n      - name: c\n        image: x\n"
                + "        ports: " + ports + "\n";
    }

    static String deploy(String ns, String name, String labels) {
        return deploy(ns, name, labels, "[]");
    }

    /** A Pod with an address. */
    static String pod(String ns, String name, String labels, String ip) {
        return "---\napiVersion: v1\nkind: Pod\nmetadata: {name: " + name + ", namespace: " + ns + ", labels: " + labels + "}\n"
                + "spec: {containers: [{name: c, image: x}]}\nstatus: {podIP: " + ip + ", podIPs: [{ip: " + ip + "}]}\n";
    }

    /** A NetworkPolicy with {@code spec} in YAML indented by two spaces. */
    static String policy(String ns, String name, String spec) {
        return "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: " + name + ", namespace: " + ns + "}\nspec:\n"
                + spec.stripIndent().lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
    }
}
