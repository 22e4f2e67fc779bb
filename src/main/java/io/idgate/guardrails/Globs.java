package io.idgate.guardrails;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Globs as used in guardrail ConfigMaps: {@code *} matches any run of characters (including none,
 * and including {@code /} and {@code :}, so ARN globs such as {@code arn:aws:iam::1:role/payments-*}
 * work); every other character matches itself. Matching is case-sensitive.
 */
public final class Globs {

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9*-]+");
    private static final Pattern SERVICE_ACCOUNT = Pattern.compile("[a-z0-9.*-]+");

    private Globs() {}

    /** True when {@code glob} matches all of {@code value}. */
    public static boolean matches(String glob, String value) {
        return matches(glob, 0, glob.length(), value);
    }

    /** True when the glob {@code glob[from, to)} matches all of {@code value} (a part of a pattern, read in place). */
    public static boolean matches(String glob, int from, int to, String value) {
        if (value == null) {
            return false;
        }
        int g = from;
        int v = 0;
        int star = -1;
        int mark = 0;
        while (v < value.length()) {
            if (g < to && glob.charAt(g) == '*') {
                star = g++;
                mark = v;
            } else if (g < to && glob.charAt(g) == value.charAt(v)) {
                g++;
                v++;
            } else if (star >= 0) {
                g = star + 1;
                v = ++mark;
            } else {
                return false;
            }
        }
        while (g < to && glob.charAt(g) == '*') {
            g++;
        }
        return g == to;
    }

    /** True when {@code glob} has no {@code *} (it matches only itself). */
    public static boolean isLiteral(String glob) {
        return glob.indexOf('*') < 0;
    }

    /** Why {@code glob} is not a usable glob of any kind, or empty. */
    public static Optional<String> problem(String glob) {
        if (glob == null || glob.isEmpty()) {
            return Optional.of("a pattern must not be empty; use * to match everything");
        }
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (Character.isWhitespace(c) || Character.isISOControl(c)) {
                return Optional.of("\"" + glob + "\" contains whitespace; remove it");
            }
            if ("?[]{}!\\".indexOf(c) >= 0) {
                return Optional.of("\"" + glob + "\" uses '" + c + "', which is not a wildcard here; only * is (any run of characters)");
            }
        }
        return Optional.empty();
    }

    /** Why {@code glob} cannot match namespace names, or empty. */
    public static Optional<String> namespaceProblem(String glob) {
        return problem(glob).or(() -> NAMESPACE.matcher(glob).matches() ? Optional.empty()
                : Optional.of("\"" + glob + "\" cannot match a namespace: namespace names are lower-case letters, digits"
                        + " and '-', with * as the only wildcard"));
    }

    /** Why {@code glob} cannot match ServiceAccount names, or empty. */
    public static Optional<String> serviceAccountNameProblem(String glob) {
        return problem(glob).or(() -> SERVICE_ACCOUNT.matcher(glob).matches() ? Optional.empty()
                : Optional.of("\"" + glob + "\" cannot match a ServiceAccount name: names are lower-case letters, digits,"
                        + " '-' and '.', with * as the only wildcard"));
    }

    /** Why {@code value} is not a {@code <namespace-glob>/<name-glob>} pattern, or empty; {@code form} shows the right one. */
    static Optional<String> serviceAccountPatternProblem(String value, String form) {
        int slash = value.indexOf('/');
        if (slash < 0 || slash != value.lastIndexOf('/')) {
            return Optional.of("\"" + value + "\" must be " + form);
        }
        return namespaceProblem(value.substring(0, slash))
                .or(() -> serviceAccountNameProblem(value.substring(slash + 1)));
    }
}
