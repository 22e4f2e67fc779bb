package io.idgate.cli;

import io.idgate.k8s.Manifest;
import io.idgate.k8s.ManifestException;
import io.idgate.k8s.ManifestReader;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files and directories a command reads ({@code -} is stdin), read one way for every command, so
 * {@code idgate check} and {@code idgate reach} see the same objects in the same inputs.
 *
 * @param objects the Kubernetes objects, in input order
 * @param errors  inputs that cannot be used (missing file, YAML that does not parse): exit 2
 * @param skipped documents that are not Kubernetes objects, each named once (a warning, not an error)
 */
record Inputs(List<Manifest> objects, List<String> errors, List<String> skipped) {

    static Inputs read(List<String> sources, InputStream stdin) {
        List<Manifest> objects = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (String source : sources) {
            try {
                objects.addAll("-".equals(source) ? ManifestReader.read("<stdin>", stdin, skipped::add)
                        : ManifestReader.read(Path.of(source), skipped::add));
            } catch (ManifestException e) {
                errors.add(e.getMessage());
            }
        }
        return new Inputs(List.copyOf(objects), List.copyOf(errors), List.copyOf(skipped));
    }
}
