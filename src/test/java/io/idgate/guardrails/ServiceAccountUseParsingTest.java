package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.guardrails.ParseErrors.Row;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code serviceAccountUse:} section of a guardrail document (design section 9): strict, with line and field. */
class ServiceAccountUseParsingTest {

    static Stream<Row> errors() {
        return Stream.of(
                new Row("a section without namespaces is refused", """
                        serviceAccountUse:
                          exemptRequesters: ["system:serviceaccount:kube-system:*"]
                        """, 2, "serviceAccountUse.namespaces", "missing; list the namespaces where the check applies"),
                new Row("an empty namespace list is refused", """
                        serviceAccountUse:
                          namespaces: []
                        """, 2, "serviceAccountUse.namespaces", "lists no namespace, so the check would apply nowhere"),
                new Row("a glob that cannot match a namespace is refused", """
                        serviceAccountUse:
                          namespaces:
                            - payments-*
                            - Payments_*
                        """, 4, "serviceAccountUse.namespaces[1]", "cannot match a namespace"),
                new Row("a requester pattern with another wildcard is refused", """
                        serviceAccountUse:
                          namespaces: ["*"]
                          exemptRequesters: ["system:serviceaccount:kube-system:?"]
                        """, 3, "serviceAccountUse.exemptRequesters[0]", "is not a wildcard here; only * is"),
                new Row("an unknown field is refused", """
                        serviceAccountUse:
                          namespaces: ["*"]
                          exemptUsers: [alice]
                        """, 3, "serviceAccountUse.exemptUsers", "unknown field"),
                new Row("a section that is not a mapping is refused", """
                        serviceAccountUse: ["payments-*"]
                        """, 1, "serviceAccountUse", "mapping"),
                new Row("namespaces that are not a list are refused", """
                        serviceAccountUse:
                          namespaces: payments-*
                        """, 2, "serviceAccountUse.namespaces", "list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refuses(Row row) {
        row.assertRefused();
    }

    @Test
    void theBuiltInControllersAreExemptByDefault() {
        ServiceAccountUse use = parse("""
                serviceAccountUse:
                  namespaces: ["payments-*", pci]
                """);
        assertEquals(List.of("payments-*", "pci"), use.namespaces());
        assertEquals(ServiceAccountUse.BUILT_IN_CONTROLLERS, use.exemptRequesters());
        assertEquals(2, use.line());
        assertTrue(use.covers("payments-eu"));
        assertTrue(use.covers("pci"));
        assertFalse(use.covers("pci-2"));
        assertTrue(use.exempts("system:serviceaccount:kube-system:replicaset-controller"));
        assertFalse(use.exempts("system:serviceaccount:payments:deployer"));
    }

    @Test
    void anEmptyExemptionListExemptsNobody() {
        ServiceAccountUse use = parse("""
                serviceAccountUse:
                  namespaces: ["*"]
                  exemptRequesters: []
                """);
        assertFalse(use.exempts("system:serviceaccount:kube-system:replicaset-controller"));
    }

    @Test
    void aDocumentWithoutTheSectionHasNone() {
        var parsed = assertInstanceOf(ParseResult.Parsed.class, GuardrailParser.parse("idgate-system", "g", "a.yaml", "groups: {}\n"));
        assertNull(parsed.document().serviceAccountUse());
    }

    @Test
    void theSectionInTwoConfigMapsIsAConflict() {
        String yaml = "serviceAccountUse: {namespaces: [\"*\"]}\n";
        var a = ((ParseResult.Parsed) GuardrailParser.parse("idgate-system", "a", "a.yaml", yaml)).document();
        var b = ((ParseResult.Parsed) GuardrailParser.parse("idgate-system", "b", "b.yaml", yaml)).document();
        var conflicts = assertInstanceOf(MergeResult.Conflicts.class, GuardrailSnapshot.merge(List.of(a, b)));
        assertTrue(conflicts.errors().get(0).message().contains("serviceAccountUse is also defined in"), conflicts.errors().toString());
        var merged = assertInstanceOf(MergeResult.Merged.class, GuardrailSnapshot.merge(List.of(a)));
        assertEquals(List.of("*"), merged.snapshot().serviceAccountUse().namespaces());
    }

    private static ServiceAccountUse parse(String yaml) {
        var parsed = assertInstanceOf(ParseResult.Parsed.class, GuardrailParser.parse("idgate-system", "g", "a.yaml", yaml));
        return parsed.document().serviceAccountUse();
    }
}
