package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.idgate.netpol.Connections;
import io.idgate.netpol.Protocol;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code intents:} and {@code defaults:} (design section 10), in a guardrail document and in an intents
 * file; the bad intents and their messages are in the fixture suite {@code fixtures/generate}.
 */
class IntentParsingTest {

    private static final String INTENTS = """
            intents:
              - from: group:checkout
                to: serviceAccount:payments/api
                ports: ["TCP 8443", "UDP 53"]
              - from: "*"
                to: cidr:10.20.0.0/16
            defaults: {defaultDeny: true}
            """;

    @Test
    void aGuardrailDocumentHoldsIntentsWhoseGroupsItDefines() {
        var doc = assertInstanceOf(ParseResult.Parsed.class, GuardrailParser.parse("idgate-system", "g", "a.yaml",
                "groups:\n  checkout: {members: [{namespace: shop}]}\n" + INTENTS)).document();
        Intents intents = doc.intents();
        assertEquals(2, intents.intents().size());
        Intent first = intents.intents().get(0);
        assertEquals(new Intent.Identity(new IdentityRef.GroupRef("checkout")), first.from());
        assertEquals(Connections.of(Protocol.TCP, 8443).union(Connections.of(Protocol.UDP, 53)), first.ports());
        assertEquals("configmap idgate-system/g key a.yaml line 4: intents[0].to", first.at("to"));
        assertInstanceOf(Intent.Every.class, intents.intents().get(1).from());
        assertEquals(Connections.ALL, intents.intents().get(1).ports());
        assertTrue(intents.defaultDeny());
        assertFalse(intents.dns());
    }

    @Test
    void inAGuardrailDocumentAGroupOfAnotherDocumentIsRefusedAsForRules() {
        ParseErrors.assertRefused(INTENTS, 2, "intents[0].from", "group \"checkout\" is not defined in this document");
    }

    @Test
    void anIntentsFileNamesTheGroupsOfTheInputs() {
        var file = GuardrailParser.parseIntents("intents.yaml", INTENTS, Set.of("checkout"));
        assertEquals(List.of(), file.errors());
        assertEquals("intents.yaml line 2: intents[0].from", file.intents().intents().get(0).at("from"));
        var unknown = GuardrailParser.parseIntents("intents.yaml", INTENTS, Set.of());
        assertEquals(List.of("intents.yaml line 2: intents[0].from: group \"checkout\" is not defined by the guardrails of the inputs; define it"
                + " under groups: of a guardrail ConfigMap among the inputs (none defines any group)"), unknown.errors());
        assertEquals(Intents.NONE, unknown.intents());
        var other = GuardrailParser.parseIntents("intents.yaml", "rules: []\n", Set.of());
        assertTrue(other.errors().contains("intents.yaml line 1: rules: unknown field (valid here: intents, defaults)"), other.errors().toString());
        assertTrue(GuardrailParser.parseIntents("intents.yaml", "", Set.of()).errors().get(0).contains("the file is empty"));
    }

    @Test
    void anIntentsFileIsToldApartFromManifests() {
        assertTrue(GuardrailParser.looksLikeIntents(INTENTS));
        assertFalse(GuardrailParser.looksLikeIntents("apiVersion: v1\nkind: ConfigMap\nintents: []\n"));
        assertFalse(GuardrailParser.looksLikeIntents("groups: {}\n"));
        assertTrue(GuardrailParser.looksLikeGuardrails(INTENTS));
    }

    @Test
    void defaultsInTwoConfigMapsAreAConflictAndIntentsAddUp() {
        String yaml = "groups:\n  checkout: {members: [{namespace: shop}]}\n" + INTENTS;
        var a = ((ParseResult.Parsed) GuardrailParser.parse("idgate-system", "a", "a.yaml", yaml)).document();
        var b = ((ParseResult.Parsed) GuardrailParser.parse("idgate-system", "b", "b.yaml", yaml.replace("checkout", "front"))).document();
        var conflicts = assertInstanceOf(MergeResult.Conflicts.class, GuardrailSnapshot.merge(List.of(a, b)));
        assertTrue(conflicts.errors().get(0).message().contains("defaults: is also defined in configmap idgate-system/a key a.yaml line"),
                conflicts.errors().toString());
        var c = ((ParseResult.Parsed) GuardrailParser.parse("idgate-system", "c", "c.yaml",
                "groups:\n  front: {members: [{namespace: shop}]}\nintents: [{from: group:front, to: \"*\"}]\n")).document();
        var merged = assertInstanceOf(MergeResult.Merged.class, GuardrailSnapshot.merge(List.of(a, c))).snapshot();
        assertEquals(3, merged.intents().intents().size());
        assertTrue(merged.intents().defaultDeny());
    }
}
