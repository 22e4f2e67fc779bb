package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.identity.GroupMembership;
import io.idgate.identity.WorkloadIdentity;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GuardrailSnapshotTest {

    private static final GroupMembership GROUPS = Fixtures.snapshot("""
            groups:
              payments:
                members:
                  - serviceAccount: payments/*
                  - namespace: checkout
              web-frontends:
                members:
                  - serviceAccount: "*/web"
              aws-payers:
                members:
                  - awsRoleArn: arn:aws:iam::123456789012:role/payments-*
              gcp-payers:
                members:
                  - gcpServiceAccount: "*@payments-prod.iam.gserviceaccount.com"
              azure-app:
                members:
                  - azureClientId: 11111111-2222-3333-4444-555555555555
              everyone:
                members:
                  - namespace: "*"
            """);

    record MemberCase(String name, WorkloadIdentity identity, Set<String> groups) {
        @Override
        public String toString() {
            return name;
        }
    }

    static WorkloadIdentity sa(String ns, String name) {
        return new WorkloadIdentity(ns, name, WorkloadIdentity.spiffeId("cluster.local", ns, name), null, null, null);
    }

    static Stream<MemberCase> memberCases() {
        return Stream.of(
                new MemberCase("a namespace glob on a serviceAccount member matches any name", sa("payments", "api"),
                        Set.of("payments", "everyone")),
                new MemberCase("a namespace member matches every account of it", sa("checkout", "worker"), Set.of("payments", "everyone")),
                new MemberCase("a name glob matches across namespaces", sa("shop", "web"), Set.of("web-frontends", "everyone")),
                new MemberCase("a glob does not match a longer name", sa("shop", "web2"), Set.of("everyone")),
                new MemberCase("an AWS role ARN glob matches", new WorkloadIdentity("x", "y", null,
                        "arn:aws:iam::123456789012:role/payments-api", null, null), Set.of("aws-payers", "everyone")),
                new MemberCase("a GCP service account glob matches", new WorkloadIdentity("x", "y", null, null,
                        "api@payments-prod.iam.gserviceaccount.com", null), Set.of("gcp-payers", "everyone")),
                new MemberCase("an Azure client ID matches ignoring case", new WorkloadIdentity("x", "y", null, null, null,
                        "11111111-2222-3333-4444-555555555555".toUpperCase()), Set.of("azure-app", "everyone")),
                new MemberCase("a missing cloud identity matches no cloud member", sa("x", "y"), Set.of("everyone")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("memberCases")
    void groupsOf(MemberCase c) {
        assertEquals(c.groups(), GROUPS.groupsOf(c.identity()));
    }

    @Test
    void aRuleNameInTwoConfigMapsIsAConflictNamingBoth() {
        String yaml = "rules:\n  - name: shared\n    require: {ports: true}\n";
        MergeResult m = GuardrailSnapshot.merge(List.of(Fixtures.document("guardrails-a", yaml), Fixtures.document("guardrails-b", yaml)));
        List<ParseError> errors = assertInstanceOf(MergeResult.Conflicts.class, m).errors();
        assertEquals(1, errors.size());
        ParseError e = errors.get(0);
        assertEquals("idgate-system/guardrails-b", e.configMap());
        assertEquals(2, e.line());
        assertTrue(e.message().contains("also defined in configmap idgate-system/guardrails-a key rules.yaml line 2"), e.text());
    }

    @Test
    void aGroupNameInTwoConfigMapsIsAConflictNamingBoth() {
        String yaml = "groups:\n  payments:\n    members: [{namespace: a}]\n";
        MergeResult m = GuardrailSnapshot.merge(List.of(Fixtures.document("guardrails-a", yaml), Fixtures.document("guardrails-b", yaml)));
        ParseError e = assertInstanceOf(MergeResult.Conflicts.class, m).errors().get(0);
        assertEquals("groups.payments", e.fieldPath());
        assertTrue(e.text().startsWith("configmap idgate-system/guardrails-b key rules.yaml line 2: groups.payments: group \"payments\""
                + " is also defined in configmap idgate-system/guardrails-a"), e.text());
    }

    @Test
    void documentsWithoutConflictsMergeIntoRulesSortedByName() {
        MergeResult m = GuardrailSnapshot.merge(List.of(
                Fixtures.document("a", "rules:\n  - name: zeta\n    require: {ports: true}\n"),
                Fixtures.document("b", "rules:\n  - name: alpha\n    require: {ports: true}\n")));
        GuardrailSnapshot s = assertInstanceOf(MergeResult.Merged.class, m).snapshot();
        assertEquals(List.of("alpha", "zeta"), s.rules().stream().map(Rule::name).toList());
        assertEquals("idgate-system/b", s.rules().get(0).source().configMap());
    }
}
