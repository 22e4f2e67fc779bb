package io.idgate.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Whether a PEM certificate and a PEM (PKCS#8) private key belong together: sign with one, verify with the other. */
final class PemPair {

    private PemPair() {}

    static boolean matches(Path certFile, Path keyFile) {
        try (InputStream in = Files.newInputStream(certFile)) {
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            PrivateKey key = privateKey(Files.readString(keyFile), cert.getPublicKey().getAlgorithm());
            if (key == null) {
                return true; // a key format we do not parse (PKCS#1, SEC1): let the registry judge it
            }
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] probe = "idgate".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static PrivateKey privateKey(String pem, String algorithm) throws java.security.GeneralSecurityException {
        String begin = "-----BEGIN PRIVATE KEY-----";
        int start = pem.indexOf(begin);
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (start < 0 || end < 0) {
            return null;
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(start + begin.length(), end));
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
    }
}
