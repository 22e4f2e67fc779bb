package io.idgate.reach;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Bad input: each problem is one line naming file, object and field, as {@code idgate check} prints it too. */
class ProblemsTest {

    record Case(String name, String spec, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        String head = "test.yaml: NetworkPolicy shop/p: ";
        return Stream.of(
                new Case("a CIDR with a prefix over 32", "ingress:\n- from: [{ipBlock: {cidr: 10.0.0.0/33}}]\n",
                        head + "spec.ingress[0].from[0].ipBlock.cidr: \"10.0.0.0/33\" is not a valid CIDR: the prefix length must be at most 32;"
                                + " write address/prefix such as 10.20.0.0/16 or fd00::/8"),
                new Case("a CIDR without prefix", "egress:\n- to: [{ipBlock: {cidr: A}}]\n",
                        head + "spec.egress[0].to[0].ipBlock.cidr: \"A\" is not a valid CIDR: it needs exactly one /prefix;"
                                + " write address/prefix such as 10.20.0.0/16 or fd00::/8"),
                new Case("an except outside the cidr", "ingress:\n- from: [{ipBlock: {cidr: 10.0.0.0/8, except: [11.0.0.0/16]}}]\n",
                        head + "spec.ingress[0].from[0].ipBlock.except[0]: \"11.0.0.0/16\" is not a strict subset of cidr \"10.0.0.0/8\";"
                                + " write a smaller block inside it, or remove it"),
                new Case("an except equal to the cidr", "ingress:\n- from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0.0/8]}}]\n",
                        head + "spec.ingress[0].from[0].ipBlock.except[0]: \"10.0.0.0/8\" is not a strict subset of cidr \"10.0.0.0/8\";"
                                + " write a smaller block inside it, or remove it"),
                new Case("an invalid except", "ingress:\n- from: [{ipBlock: {cidr: 10.0.0.0/8, except: [10.0.0/16]}}]\n",
                        head + "spec.ingress[0].from[0].ipBlock.except[0]: \"10.0.0/16\" is not a valid CIDR: an IPv4 address has four dot-separated numbers;"
                                + " write address/prefix such as 10.20.0.0/16 or fd00::/8"),
                new Case("an empty peer", "ingress:\n- from: [{}]\n",
                        head + "spec.ingress[0].from[0]: an empty peer {} selects nothing and the API server refuses it; write podSelector: {} for every pod"
                                + " of the namespace, namespaceSelector: {} for every pod, or an ipBlock"),
                new Case("a peer mixing ipBlock and podSelector", "ingress:\n- from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]\n",
                        head + "spec.ingress[0].from[0]: a peer may not have both ipBlock and podSelector; put the ipBlock in a list item of its own"),
                new Case("a bad label key", "podSelector: {matchLabels: {\"-bad\": x}}\n",
                        head + "spec.podSelector.matchLabels: label key \"-bad\" has an invalid name: at most 63 characters of [A-Za-z0-9._-],"
                                + " beginning and ending with a letter or digit; fix the key"),
                new Case("a bad label value", "ingress:\n- from: [{podSelector: {matchLabels: {app: \"a b\"}}}]\n",
                        head + "spec.ingress[0].from[0].podSelector.matchLabels.app: label value \"a b\" is invalid: at most 63 characters of [A-Za-z0-9._-],"
                                + " beginning and ending with a letter or digit (or empty); fix the value"),
                new Case("an unknown operator", "ingress:\n- from: [{namespaceSelector: {matchExpressions: [{key: team, operator: Equals, values: [a]}]}}]\n",
                        head + "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].operator: \"Equals\" is not an operator;"
                                + " write In, NotIn, Exists or DoesNotExist"),
                new Case("In without values", "podSelector: {matchExpressions: [{key: team, operator: In}]}\n",
                        head + "spec.podSelector.matchExpressions[0].values: In needs at least one value; list the values"),
                new Case("Exists with values", "podSelector: {matchExpressions: [{key: team, operator: Exists, values: [a]}]}\n",
                        head + "spec.podSelector.matchExpressions[0].values: Exists takes no values; remove values"),
                new Case("a lower-case protocol", "ingress:\n- ports: [{port: 80, protocol: tcp}]\n",
                        head + "spec.ingress[0].ports[0].protocol: \"tcp\" is not a protocol NetworkPolicy supports; write TCP, UDP or SCTP (upper case)"),
                new Case("endPort with a named port", "ingress:\n- ports: [{port: http, endPort: 90}]\n",
                        head + "spec.ingress[0].ports[0].endPort: endPort 90 cannot follow the named port \"http\"; write a numeric port, or drop endPort"),
                new Case("endPort below port", "ingress:\n- ports: [{port: 90, endPort: 80}]\n",
                        head + "spec.ingress[0].ports[0].endPort: endPort 80 is below port 90; write an endPort of at least 90"),
                new Case("endPort without port", "ingress:\n- ports: [{endPort: 80}]\n",
                        head + "spec.ingress[0].ports[0].endPort: endPort 80 needs a numeric port where the range starts; add port"),
                new Case("port 0", "ingress:\n- ports: [{port: 0}]\n",
                        head + "spec.ingress[0].ports[0].port: 0 is not a port number; write 1-65535"),
                new Case("a port name with upper case", "ingress:\n- ports: [{port: Http}]\n",
                        head + "spec.ingress[0].ports[0].port: \"Http\" is not a valid port name: at most 15 of a-z, 0-9 and '-', with a letter,"
                                + " no '--' and no '-' at either end; write a container port's name or a number 1-65535"),
                new Case("a bad policy type", "policyTypes: [ingress]\n",
                        head + "spec.policyTypes[0]: \"ingress\" is not a policy type; write Ingress or Egress"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLinePerProblem(Case c) {
        WorldBuilder b = Worlds.builder(Worlds.policy("shop", "p", c.spec().contains("podSelector: {match") && c.spec().startsWith("podSelector")
                ? c.spec() : "podSelector: {}\n" + c.spec()));
        World w = b.build();
        assertEquals(List.of(c.expected()), b.problems().stream().map(InputProblem::toString).toList(), c.name());
        assertEquals(List.of(), w.policies(), "a policy with a problem is left out");
    }

    record Accepted(String name, String spec) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** What the API server accepts must not be called a problem. */
    static Stream<Accepted> accepted() {
        return Stream.of(
                new Accepted("a named port on an ingress rule whose peers are ipBlocks (the port is the selected pod's)",
                        "ingress:\n- from: [{ipBlock: {cidr: 10.0.0.0/8}}]\n  ports: [{port: http}]\n"),
                new Accepted("a CIDR with host bits set", "ingress:\n- from: [{ipBlock: {cidr: 10.0.0.1/8}}]\n"),
                new Accepted("endPort equal to port", "ingress:\n- ports: [{port: 80, endPort: 80}]\n"),
                new Accepted("an IPv6 block with an except", "ingress:\n- from: [{ipBlock: {cidr: \"fd00::/8\", except: [\"fd00::/16\"]}}]\n"),
                new Accepted("a namespaceSelector and podSelector in one peer", "ingress:\n- from: [{namespaceSelector: {}, podSelector: {}}]\n"),
                new Accepted("an empty ingress list and an empty podSelector", "ingress: []\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void accepted(Accepted c) {
        WorldBuilder b = Worlds.builder(Worlds.policy("shop", "p", "podSelector: {}\n" + c.spec()));
        b.build();
        assertEquals(List.of(), b.problems(), c.name());
    }
}
