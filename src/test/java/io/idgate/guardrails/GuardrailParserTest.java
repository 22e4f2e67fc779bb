package io.idgate.guardrails;

import io.idgate.netpol.LabelSelector;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.guardrails.IdentityRef.GroupRef;
import io.idgate.netpol.Direction;
import io.idgate.guardrails.IdentityRef.ServiceAccountRef;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GuardrailParserTest {

    @Test
    void theDesignExampleParsesIntoTheModel() {
        GuardrailDocument doc = Fixtures.document("guardrails-pci", Fixtures.resource("guardrails/design-example.yaml"));
        assertEquals(List.of("payments", "pci-backends"), List.copyOf(doc.groups().keySet()));
        assertEquals(5, doc.groups().get("payments").members().size());
        Rule rule = doc.rules().get(0);
        assertEquals("pci-ingress-by-identity", rule.name());
        assertEquals(Action.DENY, rule.action());
        assertEquals(13, rule.line());
        assertEquals("idgate-system/guardrails-pci", rule.source().configMap());
        assertEquals("pci-ingress-by-identity (idgate-system/guardrails-pci)", rule.label());
        assertEquals(List.of("pci-*"), rule.match().namespaces());
        assertEquals(List.of("pci-sandbox"), rule.match().excludeNamespaces());
        assertEquals(LabelSelector.of(Map.of("tier", "pci")), rule.match().podSelector());
        assertTrue(rule.has(IdentityPeersRequirement.class) && rule.has(NoAllowAllRequirement.class) && rule.has(PortsRequirement.class)
                && rule.has(DefaultDenyRequirement.class) && rule.has(ImmutableNamespaceSelectorsRequirement.class));
        assertEquals(List.of(new GroupRef("payments"), new ServiceAccountRef("frontend", "web")), peers(rule, Direction.INGRESS));
        assertEquals(List.of(new GroupRef("pci-backends")), peers(rule, Direction.EGRESS));
        IpBlocksRequirement ipBlocks = rule.find(IpBlocksRequirement.class).orElseThrow();
        assertEquals(List.of(), ipBlocks.ingress());
        assertEquals("10.20.0.0/16", ipBlocks.egress().get(0).text());
    }

    @Test
    void omittedOptionalFieldsTakeTheirDefaults() {
        GuardrailDocument doc = Fixtures.document("g", """
                rules:
                  - name: ports-everywhere
                    require: {ports: true}
                """);
        Rule rule = doc.rules().get(0);
        assertEquals(Action.DENY, rule.action());
        assertEquals(Match.ALL, rule.match());
        assertEquals("", rule.description());
        assertNull(peers(rule, Direction.INGRESS), "not required is no requirement, not an empty list");
        assertFalse(rule.has(IpBlocksRequirement.class));
    }

    /** The identities of the rule's ingressFrom or egressTo; null when it has none. */
    private static List<IdentityRef> peers(Rule rule, Direction direction) {
        return rule.requirements().stream().filter(PeerIdentitiesRequirement.class::isInstance).map(PeerIdentitiesRequirement.class::cast)
                .filter(r -> r.direction() == direction).map(PeerIdentitiesRequirement::allowed).findFirst().orElse(null);
    }

    record ErrorCase(String name, String yaml, int line, String field, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final String RULE_HEAD = """
            rules:
              - name: r
            """;

    static Stream<ErrorCase> errorCases() {
        return Stream.of(
                new ErrorCase("an unknown top-level field suggests the nearest valid one",
                        "rule:\n  - name: r\n", 1, "rule", "unknown field; did you mean rules?"),
                new ErrorCase("a typo in a requirement suggests the nearest valid one", RULE_HEAD + """
                            require:
                              identityPeer: true
                        """, 4, "rules[0].require.identityPeer", "did you mean identityPeers?"),
                new ErrorCase("a field nothing resembles lists the valid fields", RULE_HEAD + """
                            require: {ports: true}
                            severity: high
                        """, 4, "rules[0].severity", "valid here: name, description, action, match, require"),
                new ErrorCase("a string where a boolean belongs is a type error", RULE_HEAD + """
                            require: {identityPeers: "true"}
                        """, 3, "rules[0].require.identityPeers", "expected true or false, got string \"true\""),
                new ErrorCase("yes instead of true is rejected as ambiguous", RULE_HEAD + """
                            require: {ports: yes}
                        """, 3, "rules[0].require.ports", "write true or false"),
                new ErrorCase("a list where a mapping belongs is a type error", RULE_HEAD + """
                            require: [ports]
                        """, 3, "rules[0].require", "expected a mapping"),
                new ErrorCase("a string where a list belongs is a type error", RULE_HEAD + """
                            require: {ingressFrom: "group:x"}
                        """, 3, "rules[0].require.ingressFrom", "expected a list"),
                new ErrorCase("a group that is not defined in the document cannot be referenced", RULE_HEAD + """
                            require:
                              ingressFrom: ["group:payments"]
                        """, 4, "rules[0].require.ingressFrom[0]", "group \"payments\" is not defined in this document"),
                new ErrorCase("an identity reference of an unknown kind lists the valid forms", RULE_HEAD + """
                            require:
                              egressTo:
                                - user:bob
                        """, 5, "rules[0].require.egressTo[0]", "use group:<name>, serviceAccount:<namespace>/<name>"),
                new ErrorCase("a serviceAccount reference needs namespace/name", RULE_HEAD + """
                            require: {ingressFrom: ["serviceAccount:web"]}
                        """, 3, "rules[0].require.ingressFrom[0]", "must be serviceAccount:<namespace>/<name>"),
                new ErrorCase("an IPv4 prefix longer than 32 is a bad CIDR", RULE_HEAD + """
                            require:
                              ipBlocks:
                                egress: ["10.0.0.0/33"]
                        """, 5, "rules[0].require.ipBlocks.egress[0]", "the prefix length must be at most 32"),
                new ErrorCase("an IPv6 address with a non-hex group is a bad CIDR", RULE_HEAD + """
                            require:
                              ipBlocks:
                                ingress:
                                  - fd00::g/8
                        """, 6, "rules[0].require.ipBlocks.ingress[0]", "\"fd00::g/8\" is not a valid CIDR"),
                new ErrorCase("a CIDR with host bits set names the network to write", RULE_HEAD + """
                            require: {ipBlocks: {egress: ["10.20.0.1/16"]}}
                        """, 3, "rules[0].require.ipBlocks.egress[0]", "write 10.20.0.0/16"),
                new ErrorCase("a CIDR without a prefix is rejected", RULE_HEAD + """
                            require: {ipBlocks: {egress: ["10.20.0.0"]}}
                        """, 3, "rules[0].require.ipBlocks.egress[0]", "it needs exactly one /prefix"),
                new ErrorCase("a namespace glob with ? explains that only * is a wildcard", RULE_HEAD + """
                            match: {namespaces: ["pci-?"]}
                            require: {ports: true}
                        """, 3, "rules[0].match.namespaces[0]", "only * is"),
                new ErrorCase("a namespace glob with upper case cannot match a namespace", RULE_HEAD + """
                            match: {excludeNamespaces: ["PCI-*"]}
                            require: {ports: true}
                        """, 3, "rules[0].match.excludeNamespaces[0]", "cannot match a namespace"),
                new ErrorCase("an empty namespaces list is rejected rather than matching nothing", RULE_HEAD + """
                            match: {namespaces: []}
                            require: {ports: true}
                        """, 3, "rules[0].match.namespaces", "omit namespaces to match all"),
                new ErrorCase("a selector operator in the wrong case suggests the right one", RULE_HEAD + """
                            match:
                              podSelector:
                                matchExpressions:
                                  - {key: tier, operator: in, values: [pci]}
                            require: {ports: true}
                        """, 6, "rules[0].match.podSelector.matchExpressions[0].operator", "did you mean In?"),
                new ErrorCase("In without values is rejected", RULE_HEAD + """
                            match:
                              podSelector:
                                matchExpressions:
                                  - key: tier
                                    operator: NotIn
                            require: {ports: true}
                        """, 6, "rules[0].match.podSelector.matchExpressions[0].values", "NotIn needs at least one value"),
                new ErrorCase("Exists with values is rejected", RULE_HEAD + """
                            match:
                              podSelector:
                                matchExpressions:
                                  - key: tier
                                    operator: Exists
                                    values: [pci]
                            require: {ports: true}
                        """, 8, "rules[0].match.podSelector.matchExpressions[0].values", "Exists takes no values"),
                new ErrorCase("an invalid label key in matchLabels is rejected", RULE_HEAD + """
                            match:
                              podSelector:
                                matchLabels: {"-tier": pci}
                            require: {ports: true}
                        """, 5, "rules[0].match.podSelector.matchLabels[-tier]", "has an invalid name"),
                new ErrorCase("an invalid label key prefix in an expression is rejected", RULE_HEAD + """
                            match:
                              podSelector:
                                matchExpressions: [{key: "Example.com/tier", operator: Exists}]
                            require: {ports: true}
                        """, 5, "rules[0].match.podSelector.matchExpressions[0].key", "has an invalid prefix"),
                new ErrorCase("an invalid label value is rejected", RULE_HEAD + """
                            match:
                              podSelector:
                                matchLabels:
                                  tier: "pci web"
                            require: {ports: true}
                        """, 6, "rules[0].match.podSelector.matchLabels[tier]", "label value \"pci web\" is invalid"),
                new ErrorCase("an unquoted boolean label value must be quoted", RULE_HEAD + """
                            match:
                              podSelector:
                                matchLabels: {pci: true}
                            require: {ports: true}
                        """, 5, "rules[0].match.podSelector.matchLabels[pci]", "quote it: \"true\""),
                new ErrorCase("an unknown action lists the valid ones", RULE_HEAD + """
                            action: block
                            require: {ports: true}
                        """, 3, "rules[0].action", "\"block\" is not an action; use deny (the default), warn or audit"),
                new ErrorCase("an upper-case action is rejected", RULE_HEAD + """
                            action: Deny
                            require: {ports: true}
                        """, 3, "rules[0].action", "is not an action"),
                new ErrorCase("a rule without a name is rejected", """
                        rules:
                          - require: {ports: true}
                        """, 2, "rules[0].name", "every rule needs a unique name"),
                new ErrorCase("a rule name that is not a DNS label is rejected", """
                        rules:
                          - name: PCI_Rule
                            require: {ports: true}
                        """, 2, "rules[0].name", "is not a valid rule name"),
                new ErrorCase("two rules with one name in a document are rejected at the second", """
                        rules:
                          - name: same
                            require: {ports: true}
                          - name: same
                            require: {ports: true}
                        """, 4, "rules[1].name", "already used by rules[0] (line 2)"),
                new ErrorCase("a rule without require is rejected", RULE_HEAD + """
                            description: nothing to check
                        """, 2, "rules[0].require", "a rule needs at least one requirement"),
                new ErrorCase("a require that switches nothing on is rejected", RULE_HEAD + """
                            require: {ports: false}
                        """, 3, "rules[0].require", "the rule checks nothing"),
                new ErrorCase("a field given twice is rejected", RULE_HEAD + """
                            require: {ports: true}
                            require: {noAllowAll: true}
                        """, 4, "rules[0].require", "appears twice (also line 3)"),
                new ErrorCase("a group name that cannot be a label key name is rejected", """
                        groups:
                          pay/ments:
                            members: [{namespace: checkout}]
                        """, 2, "groups.pay/ments", "becomes the label key groups.<prefix>/pay/ments"),
                new ErrorCase("a group name over 63 characters is rejected", """
                        groups:
                          %s:
                            members: [{namespace: checkout}]
                        """.formatted("g".repeat(64)), 2, "groups." + "g".repeat(64), "at most 63 characters"),
                new ErrorCase("a member with two identities must be split", """
                        groups:
                          payments:
                            members:
                              - {namespace: checkout, serviceAccount: "payments/*"}
                        """, 4, "groups.payments.members[0]", "a member has exactly one of"),
                new ErrorCase("a member of an unknown kind suggests the nearest", """
                        groups:
                          payments:
                            members:
                              - serviceaccount: "payments/*"
                        """, 4, "groups.payments.members[0].serviceaccount", "did you mean serviceAccount?"),
                new ErrorCase("a serviceAccount member needs namespace/name", """
                        groups:
                          payments:
                            members:
                              - serviceAccount: payments
                        """, 4, "groups.payments.members[0].serviceAccount", "must be <namespace>/<name>"),
                new ErrorCase("a member glob with a character class is rejected", """
                        groups:
                          payments:
                            members:
                              - awsRoleArn: "arn:aws:iam::1:role/pay[0-9]"
                        """, 4, "groups.payments.members[0].awsRoleArn", "not a wildcard here"),
                new ErrorCase("a group without members is rejected", """
                        groups:
                          payments:
                            members: []
                        """, 3, "groups.payments.members", "at least one member"),
                new ErrorCase("broken YAML is reported at its line", """
                        rules:
                          - name: r
                            require: {ports: true
                          - name: s
                        """, 4, "", "not valid YAML"),
                new ErrorCase("an empty document is rejected", "# nothing\n", 1, "", "the document is empty"),
                new ErrorCase("a document that is a list is rejected", "- name: r\n", 1, "", "expected a mapping"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errorCases")
    void rejectsWithLineAndField(ErrorCase c) {
        ParseResult result = GuardrailParser.parse("idgate-system", "guardrails-pci", "pci.yaml", c.yaml());
        ParseResult.Invalid invalid = assertInstanceOf(ParseResult.Invalid.class, result, "should be rejected");
        ParseError first = invalid.errors().get(0);
        String all = String.join("\n", invalid.errors().stream().map(ParseError::text).toList());
        assertEquals(c.field(), first.fieldPath(), all);
        assertEquals(c.line(), first.line(), all);
        assertTrue(first.message().contains(c.messagePart()), all);
        assertEquals("idgate-system/guardrails-pci", first.configMap());
        assertEquals("pci.yaml", first.key());
    }

    @Test
    void reportsEveryErrorOfADocumentSortedByLine() {
        ParseResult result = GuardrailParser.parse("ns", "cm", "k.yaml", """
                rules:
                  - name: a
                    action: block
                    require: {ports: maybe}
                  - name: b
                    require: {ingressFrom: ["group:nope"], ipBlocks: {egress: ["1.2.3.4/40"]}}
                """);
        List<ParseError> errors = ((ParseResult.Invalid) result).errors();
        assertEquals(List.of(3, 4, 6, 6), errors.stream().map(ParseError::line).toList());
        assertEquals("rules[0].action", errors.get(0).fieldPath());
    }

    @Test
    void anErrorLineNamesConfigMapKeyLineFieldAndFix() {
        ParseResult result = GuardrailParser.parse("idgate-system", "guardrails-pci", "pci.yaml", """
                rules:
                  - name: r
                    action: block
                    require: {ports: true}
                """);
        assertEquals("configmap idgate-system/guardrails-pci key pci.yaml line 3: rules[0].action: \"block\" is not an action;"
                        + " use deny (the default), warn or audit",
                ((ParseResult.Invalid) result).errors().get(0).text());
    }
}
