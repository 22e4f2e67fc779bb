package io.idgate.netpol;

import io.idgate.identity.LabelValues;
import java.util.Optional;
import java.util.regex.Pattern;

/** Kubernetes syntax rules for label keys and values (apimachinery {@code validation.IsQualifiedName}). */
public final class LabelSyntax {

    /** Longest name part of a key, and longest DNS label. */
    public static final int MAX_NAME = 63;
    /** Longest prefix part of a key (a DNS subdomain). */
    public static final int MAX_PREFIX = 253;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
    private static final Pattern SUBDOMAIN =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private LabelSyntax() {}

    /** True when {@code name} is valid as the name part of a label key. */
    public static boolean isName(String name) {
        return name != null && name.length() <= MAX_NAME && NAME.matcher(name).matches();
    }

    /** True when {@code name} is a DNS label (RFC 1123): a namespace name, for example. */
    public static boolean isDnsLabel(String name) {
        return name != null && name.length() <= MAX_NAME && DNS_LABEL.matcher(name).matches();
    }

    /** Why {@code key} is not a valid label key, or empty when it is. */
    public static Optional<String> keyProblem(String key) {
        if (key == null || key.isEmpty()) {
            return Optional.of("a label key must not be empty");
        }
        int slash = key.indexOf('/');
        String name = slash < 0 ? key : key.substring(slash + 1);
        if (slash >= 0) {
            String prefix = key.substring(0, slash);
            if (prefix.isEmpty() || prefix.length() > MAX_PREFIX || !SUBDOMAIN.matcher(prefix).matches()) {
                return Optional.of("label key \"" + key + "\" has an invalid prefix: the part before '/' must be a"
                        + " lower-case DNS subdomain such as example.com");
            }
        }
        if (!isName(name)) {
            return Optional.of("label key \"" + key + "\" has an invalid name: at most 63 characters of [A-Za-z0-9._-],"
                    + " beginning and ending with a letter or digit");
        }
        return Optional.empty();
    }

    /** Why {@code value} is not a valid label value, or empty when it is. */
    public static Optional<String> valueProblem(String value) {
        if (LabelValues.isValid(value)) {
            return Optional.empty();
        }
        return Optional.of("label value \"" + value + "\" is invalid: at most 63 characters of [A-Za-z0-9._-],"
                + " beginning and ending with a letter or digit (or empty)");
    }
}
