package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.guardrails.ParseErrors.Row;
import io.idgate.netpol.Direction;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@code invariants:} section of a guardrail document (design section 8): strict, with line and field. */
class InvariantParsingTest {

    private static final String GROUPS = """
            groups:
              payments: {members: [{serviceAccount: payments/*}]}
              checkout: {members: [{namespace: checkout}]}
            """;

    static Stream<Row> errors() {
        return Stream.of(
                new Row("a missing name is refused", GROUPS + """
                        invariants:
                          - {to: group:payments, onlyFrom: []}
                        """, 5, "invariants[0].name", "missing; every invariant needs a unique name"),
                new Row("a name that is not a DNS label is refused", GROUPS + """
                        invariants:
                          - {name: Payments_Isolated, to: group:payments, onlyFrom: []}
                        """, 5, "invariants[0].name", "is not a valid invariant name"),
                new Row("two invariants of one name are refused", GROUPS + """
                        invariants:
                          - {name: a, to: group:payments, onlyFrom: []}
                          - {name: a, from: group:payments, onlyTo: []}
                        """, 6, "invariants[1].name", "invariant name \"a\" is already used by invariants[0] (line 5)"),
                new Row("an unknown action is refused", GROUPS + """
                        invariants:
                          - {name: a, action: block, to: group:payments, onlyFrom: []}
                        """, 5, "invariants[0].action", "\"block\" is not an action; use deny (the default), warn or audit"),
                new Row("to without onlyFrom is refused", GROUPS + """
                        invariants:
                          - name: a
                            to: group:payments
                        """, 5, "invariants[0].onlyFrom", "missing; list who else may take part"),
                new Row("from with onlyFrom is refused as a mix of directions", GROUPS + """
                        invariants:
                          - {name: a, from: group:payments, onlyFrom: []}
                        """, 5, "invariants[0]", "mixes to/onlyFrom with from/onlyTo"),
                new Row("an entry protecting nothing is refused", GROUPS + """
                        invariants:
                          - {name: a, description: nothing}
                        """, 5, "invariants[0]", "says nothing to protect"),
                new Row("a protected identity that is not a reference is refused", GROUPS + """
                        invariants:
                          - {name: a, to: payments, onlyFrom: []}
                        """, 5, "invariants[0].to", "\"payments\" is not an identity reference"),
                new Row("a group this document does not define is refused", GROUPS + """
                        invariants:
                          - name: a
                            to: group:payments
                            onlyFrom: [group:checkout, group:ledger]
                        """, 7, "invariants[0].onlyFrom[1]", "group \"ledger\" is not defined in this document"),
                new Row("a CIDR that is not one is refused", GROUPS + """
                        invariants:
                          - name: a
                            from: group:payments
                            onlyTo:
                              - cidr:10.20.0.0/16
                              - cidr:10.300.0.0/16
                        """, 9, "invariants[0].onlyTo[1]", "10.300.0.0/16"),
                new Row("an unknown field is refused", GROUPS + """
                        invariants:
                          - {name: a, to: group:payments, onlyFrom: [], except: [group:checkout]}
                        """, 5, "invariants[0].except", "unknown field"),
                new Row("a section that is not a list is refused", GROUPS + """
                        invariants:
                          name: a
                        """, 5, "invariants", "list"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void refuses(Row row) {
        row.assertRefused();
    }

    @Test
    void bothDirectionsParseWithTheirDefaults() {
        var parsed = assertInstanceOf(ParseResult.Parsed.class, GuardrailParser.parse("idgate-system", "g", "a.yaml", GROUPS + """
                invariants:
                  - name: payments-isolated
                    description: Only checkout reaches payments.
                    to: group:payments
                    onlyFrom: ["group:checkout", "namespace:ingress-nginx", "cidr:10.0.0.0/8"]
                  - name: pci-no-internet
                    action: warn
                    from: serviceAccount:payments/ledger
                    onlyTo: []
                """));
        List<Invariant> invariants = parsed.document().invariants();
        Invariant in = invariants.get(0);
        assertEquals(Action.DENY, in.action());
        assertEquals(Direction.INGRESS, in.guarded());
        assertEquals("group:payments", in.protectedRef().text());
        assertEquals(List.of("group:checkout", "namespace:ingress-nginx"), in.allowed().stream().map(IdentityRef::text).toList());
        assertEquals("10.0.0.0/8", in.allowedCidrs().get(0).canonical());
        assertEquals(5, in.line());
        assertEquals("only group:checkout, namespace:ingress-nginx, cidr:10.0.0.0/8 may reach group:payments", in.summary());
        Invariant out = invariants.get(1);
        assertEquals(Action.WARN, out.action());
        assertEquals(Direction.EGRESS, out.guarded());
        assertEquals("serviceAccount:payments/ledger may reach only nothing outside it", out.summary());
    }

    @Test
    void theSameInvariantNameInTwoConfigMapsIsAConflict() {
        String yaml = GROUPS + "invariants: [{name: a, to: group:payments, onlyFrom: []}]\n";
        var a = ((ParseResult.Parsed) GuardrailParser.parse("idgate-system", "a", "a.yaml", yaml)).document();
        var b = ((ParseResult.Parsed) GuardrailParser.parse("idgate-system", "b", "b.yaml", yaml.replace("payments:", "payments2:")
                .replace("checkout:", "checkout2:").replace("group:payments", "group:payments2"))).document();
        var conflicts = assertInstanceOf(MergeResult.Conflicts.class, GuardrailSnapshot.merge(List.of(a, b)));
        assertTrue(conflicts.errors().get(0).message().contains("invariant \"a\" is also defined in"), conflicts.errors().toString());
    }
}
