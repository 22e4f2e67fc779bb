package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.idgate.identity.IdentityConfig;
import java.util.List;

/**
 * Helpers of the one-table-per-requirement tests: a rule {@code r} over pci-* namespaces with the
 * {@code require:} under test, checked against a NetworkPolicy CREATE in pci-prod, and the same
 * {@code require:} read by the parser.
 */
final class RequirementRows {

    private RequirementRows() {}

    /**
     * One row of a check table.
     *
     * @param name       what the requirement allows or violates, as a sentence
     * @param require    the {@code require:} value (flow YAML)
     * @param spec       the NetworkPolicy's spec (YAML)
     * @param violations every violation line, sorted; empty when allowed
     */
    record Check(String name, String require, String spec, List<String> violations) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Check allows(String name, String require, String spec) {
        return new Check(name, require, spec, List.of());
    }

    static Check violates(String name, String require, String spec, String... lines) {
        return new Check(name, require, spec, List.of(lines));
    }

    /**
     * One row of a read table.
     *
     * @param name     what the key reads or refuses, as a sentence
     * @param require  the {@code require:} value (flow YAML), at line 6 of the document
     * @param expected the requirement read, or the one error ({@code <line> <path>: <message>})
     */
    record Read(String name, String require, Object expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static void assertCheck(Check row) {
        List<Violation> v = GuardrailEvaluator.evaluate(Operation.CREATE, Fixtures.policy("p", row.spec()), null, "pci-prod", List.of(),
                GuardrailEvaluatorTest.rule(row.require()), IdentityConfig.DEFAULTS);
        assertEquals(row.violations(), v.stream().map(Violation::line).toList());
    }

    static void assertRead(Read row) {
        ParseResult result = GuardrailParser.parse("idgate-system", "guardrails", "rules.yaml", """
                groups:
                  payments:
                    members: [{serviceAccount: "payments/*"}]
                rules:
                  - name: r
                    require: %s
                """.formatted(row.require()));
        if (row.expected() instanceof Requirement r) {
            Rule rule = ((ParseResult.Parsed) result).document().rules().get(0);
            assertEquals(List.of(r), rule.requirements());
        } else {
            assertEquals(List.of(row.expected()), ((ParseResult.Invalid) result).errors().stream()
                    .map(e -> e.line() + " " + e.fieldPath() + ": " + e.message()).toList());
        }
    }
}
