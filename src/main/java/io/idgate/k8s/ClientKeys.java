package io.idgate.k8s;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.internal.CertUtils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the algorithm of the kubeconfig's client key, which the Kubernetes client needs before it can
 * read the key.
 *
 * <p>fabric8 7.5 reads RSA and EC keys with the JDK alone (no BouncyCastle): PKCS#1, SEC1
 * ({@code EC PRIVATE KEY}, what k3s writes) and PKCS#8. But it takes the algorithm from the PEM header
 * only, and reads a key whose header names none ({@code PRIVATE KEY}: PKCS#8, what {@code openssl
 * genpkey} and cert-manager write) as RSA; a PKCS#8 EC key then fails with "Invalid DER: object is not
 * integer". Keys from an exec credential plugin get no algorithm at all (fabric8 issue 8022). The JDK
 * can tell which a PKCS#8 key is, so this asks it.
 */
public final class ClientKeys {

    private static final Pattern PKCS8 = Pattern.compile("-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\\s]+)-----END PRIVATE KEY-----");

    private ClientKeys() {}

    /**
     * Sets {@code config}'s client key algorithm when it is unset and the key says which it is: the PEM
     * header, else the PKCS#8 key itself. A key that cannot be read is left alone: building the client
     * then fails, and the caller says so. Returns {@code config}.
     */
    public static Config nameAlgorithm(Config config) {
        if (config.getClientKeyAlgo() != null || (config.getClientKeyData() == null && config.getClientKeyFile() == null)) {
            return config;
        }
        String algorithm = Config.getKeyAlgorithm(config.getClientKeyFile(), config.getClientKeyData());
        if (algorithm == null) {
            algorithm = pkcs8Algorithm(pem(config));
        }
        if (algorithm != null) {
            config.setClientKeyAlgo(algorithm);
        }
        return config;
    }

    /** "EC" or "RSA" for an unencrypted PKCS#8 key of that algorithm in {@code pem}, else null. */
    static String pkcs8Algorithm(String pem) {
        Matcher m = pem == null ? null : PKCS8.matcher(pem);
        if (m == null || !m.find()) {
            return null;
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(1));
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                return algorithm;
            } catch (GeneralSecurityException e) {
                // not a key of this algorithm: try the next
            }
        }
        return null;
    }

    /** The key's PEM text, read by fabric8's own reader (the data, base64 or PEM as it is, before the file), or null. */
    private static String pem(Config config) {
        try (var in = CertUtils.getInputStreamFromDataOrFile(config.getClientKeyData(), config.getClientKeyFile())) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null; // building the client reads it again and fails with the reason
        }
    }
}
