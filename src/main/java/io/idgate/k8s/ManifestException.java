package io.idgate.k8s;

/** A manifest file that cannot be used; the message names the file, the document and the problem. */
public final class ManifestException extends RuntimeException {

    public ManifestException(String message) {
        super(message, null, false, false);
    }
}
