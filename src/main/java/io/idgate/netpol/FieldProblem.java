package io.idgate.netpol;

/**
 * One invalid field of an object, worded for a person: what is wrong and what to write instead.
 *
 * @param field   the field path, e.g. {@code spec.ingress[0].from[1].ipBlock.cidr}
 * @param message e.g. {@code "10.0.0.0/33" is not a valid CIDR: ...; write ...}
 */
public record FieldProblem(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
