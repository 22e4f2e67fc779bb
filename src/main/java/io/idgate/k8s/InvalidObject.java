package io.idgate.k8s;

import io.idgate.identity.OneLine;

/**
 * An object the engine cannot judge (a pod whose labels are not a map of strings, a NetworkPolicy that
 * does not bind); the message names the field and is shown as it is: the webhook answers it as a 400,
 * the CLI prints it as an input error.
 */
public class InvalidObject extends RuntimeException {

    public InvalidObject(String message) {
        super(OneLine.of(message), null, false, false); // it may quote what the caller sent
    }
}
