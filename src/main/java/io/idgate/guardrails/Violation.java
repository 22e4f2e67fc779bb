package io.idgate.guardrails;

import io.idgate.identity.OneLine;
import java.util.Comparator;

/**
 * One way a NetworkPolicy admission breaks one guardrail rule.
 *
 * <p>{@link #line()} is what users read, one violation per line:
 * <pre>[&lt;rule&gt; (&lt;configmap namespace&gt;/&lt;configmap name&gt;)] &lt;field path&gt;: &lt;what is wrong&gt;; &lt;how to fix&gt;</pre>
 * for example
 * <pre>[pci-ingress-by-identity (idgate-system/guardrails-pci)] spec.ingress[0].from[1].podSelector: selects pods by
 * labels any pod author can set ({matchLabels: {app: web}}); select by identity, e.g. ...</pre>
 *
 * @param rule      the rule's name
 * @param configMap {@code <namespace>/<name>} of the ConfigMap defining the rule
 * @param action    what the rule does with violations
 * @param fieldPath where in the NetworkPolicy, e.g. {@code spec.egress[0].to[2].ipBlock.cidr}
 * @param problem   what is wrong (no trailing punctuation)
 * @param fix       how to fix it
 * @param requirement the key of {@code require:} that found it ({@code identityPeers}, {@code ingressFrom}, ...)
 */
public record Violation(String rule, String configMap, Action action, String fieldPath, String problem, String fix, String requirement) {

    /** Rule name, then field path with list indexes compared as numbers, then problem text. */
    public static final Comparator<Violation> ORDER = Comparator.comparing(Violation::rule)
            .thenComparing(Violation::fieldPath, Violation::comparePaths)
            .thenComparing(Violation::problem);

    /** {@code [<rule> (<configmap>)] <fieldPath>: <problem>; <fix>}, on one line whatever the policy's values hold. */
    public String line() {
        return OneLine.of("[" + rule + " (" + configMap + ")] " + fieldPath + ": " + problem + "; " + fix);
    }

    @Override
    public String toString() {
        return line();
    }

    /** Natural order: runs of digits compare by value, so {@code ingress[2]} comes before {@code ingress[10]}. */
    static int comparePaths(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                int c = new java.math.BigInteger(a.substring(si, i)).compareTo(new java.math.BigInteger(b.substring(sj, j)));
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }
}
