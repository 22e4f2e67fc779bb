package io.idgate.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Client keys in the PEM forms kubeconfigs carry, with a certificate and a kubeconfig, made by openssl
 * as cluster tools make them: the unit tests sign with a throwaway CA, the e2e tests with the API
 * server's client CA.
 */
public final class ClientKeyFiles {

    /** A key form, the openssl command that writes it, and the PEM header it must have. */
    public enum Form {
        /** SEC1, what k3s and kubeadm-with-ECDSA write. */
        EC_SEC1("-----BEGIN EC PRIVATE KEY-----", "ecparam", "-name", "prime256v1", "-genkey", "-noout"),
        /** PKCS#8, what openssl genpkey and cert-manager write. */
        EC_PKCS8("-----BEGIN PRIVATE KEY-----", "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"),
        /** PKCS#1, what kubeadm and kind write. */
        RSA_PKCS1("-----BEGIN RSA PRIVATE KEY-----", "genrsa", "-traditional", "2048"),
        RSA_PKCS8("-----BEGIN PRIVATE KEY-----", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"),
        /** A key the Kubernetes client cannot use (Go clients can). */
        ED25519_PKCS8("-----BEGIN PRIVATE KEY-----", "genpkey", "-algorithm", "ed25519");

        private final String header;
        private final List<String> generate;

        Form(String header, String... generate) {
            this.header = header;
            this.generate = List.of(generate);
        }
    }

    private ClientKeyFiles() {}

    /** Writes {@code dir/NAME.key} in {@code form} and returns its path. */
    public static Path key(Path dir, String name, Form form) {
        Path key = dir.resolve(name + ".key");
        List<String> cmd = new ArrayList<>(List.of("openssl", form.generate.get(0), "-out", key.toString())); // before genrsa's key size
        cmd.addAll(form.generate.subList(1, form.generate.size()));
        openssl(cmd);
        String pem = read(key);
        if (!pem.startsWith(form.header)) {
            throw new IllegalStateException(key + " is not " + form + ": " + pem.lines().findFirst().orElse(""));
        }
        return key;
    }

    /** A self-signed CA: {@code dir/NAME.crt} and {@code dir/NAME.key} (EC P-256). */
    public static Path ca(Path dir, String name) {
        Path key = key(dir, name, Form.EC_PKCS8);
        Path crt = dir.resolve(name + ".crt");
        openssl(List.of("openssl", "req", "-x509", "-new", "-key", key.toString(), "-subj", "/CN=" + name, "-days", "1", "-out", crt.toString()));
        return crt;
    }

    /** A client certificate for {@code key} with {@code subject} (e.g. {@code /O=system:masters/CN=ec-user}), signed by the CA at {@code caCrt}/{@code caKey}. */
    public static Path certificate(Path key, String subject, Path caCrt, Path caKey) {
        String base = key.getFileName().toString().replaceFirst("\\.key$", "");
        Path csr = key.resolveSibling(base + ".csr");
        Path ext = key.resolveSibling(base + ".ext");
        Path crt = key.resolveSibling(base + ".crt");
        try {
            Files.writeString(ext, "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        openssl(List.of("openssl", "req", "-new", "-key", key.toString(), "-subj", subject, "-out", csr.toString()));
        // -set_serial: -CAcreateserial would write a .srl file beside the CA, which may be shared
        openssl(List.of("openssl", "x509", "-req", "-in", csr.toString(), "-CA", caCrt.toString(), "-CAkey", caKey.toString(),
                "-set_serial", "0x" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE), "-days", "1",
                "-extfile", ext.toString(), "-out", crt.toString()));
        return crt;
    }

    /** A kubeconfig at {@code path} whose one context reaches {@code server} with this certificate and key, inline as kind and k3s write them. */
    public static Path kubeconfig(Path path, String server, Path caCrt, Path crt, Path key) {
        var b64 = Base64.getEncoder();
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: c
                    cluster: {server: "%s", certificate-authority-data: %s}
                users:
                  - name: u
                    user: {client-certificate-data: %s, client-key-data: %s}
                contexts:
                  - name: c
                    context: {cluster: c, user: u}
                current-context: c
                """.formatted(server, b64.encodeToString(bytes(caCrt)), b64.encodeToString(bytes(crt)), b64.encodeToString(bytes(key)));
        try {
            return Files.writeString(path, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void openssl(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path p) {
        return new String(bytes(p), StandardCharsets.US_ASCII);
    }
}
