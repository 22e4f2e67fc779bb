package io.idgate.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityDeriverTest {

    private final IdentityDeriver deriver = new IdentityDeriver(IdentityConfig.DEFAULTS);

    /**
     * Keys are remembered by everything that decides them: the same inputs give the remembered keys,
     * any change of identity, groups or source gives the keys of the new inputs, and after more
     * identities than the memory holds the old ones are derived again, alike.
     */
    @Test
    void rememberedKeysAreThoseOfTheSameInputsOnly() {
        var sa = new ServiceAccountInfo("payments", "api", Map.of(), "1");
        DerivedIdentity first = deriver.derive(sa, Set.of("pci"));
        assertSame(first, deriver.derive(sa, new java.util.TreeSet<>(Set.of("pci"))), "same inputs: the remembered keys");
        IdentityDeriver fresh = new IdentityDeriver(IdentityConfig.DEFAULTS);
        assertEquals(fresh.derive(sa, Set.of()), deriver.derive(sa, Set.of()), "other groups");
        assertNotEquals(first, deriver.derive(sa, Set.of()));
        var relabelled = new ServiceAccountInfo("payments", "api", Map.of(ServiceAccountInfo.AWS_ROLE_ARN, "arn:aws:iam::1:role/a"), "2");
        assertEquals(fresh.derive(relabelled, Set.of("pci")), deriver.derive(relabelled, Set.of("pci")), "another ServiceAccount version");
        assertEquals(fresh.derive(sa, Set.of("pci")).annotations(), first.annotations());
        for (int i = 0; i < 3 * IdentityDeriver.DERIVED_GENERATION; i++) {
            deriver.derive(new ServiceAccountInfo("ns-" + i, "sa", Map.of(), "1"), Set.of());
        }
        DerivedIdentity again = deriver.derive(sa, Set.of("pci"));
        assertNotSame(first, again, "forgotten after three generations of other identities");
        assertEquals(first, again);
    }

    @Test
    void everyLabelIsTheEncodedFormOfTheAnnotationWithTheSameKey() {
        var sa = new ServiceAccountInfo("payments", "broker", Map.of(
                ServiceAccountInfo.AWS_ROLE_ARN, "arn:aws:iam::123456789012:role/x",
                ServiceAccountInfo.GCP_SERVICE_ACCOUNT, "b@p.iam.gserviceaccount.com",
                ServiceAccountInfo.AZURE_CLIENT_ID, "66666666-7777-8888-9999-000000000000"), "7");
        DerivedIdentity id = deriver.derive(sa, Set.of());
        assertEquals(6, id.labels().size());
        id.labels().forEach((key, value) -> assertEquals(LabelValues.encode(id.annotations().get(key)), value, key));
    }

    @Test
    void blankCloudAnnotationsAreIgnored() {
        var sa = new ServiceAccountInfo("payments", "api", Map.of(ServiceAccountInfo.AWS_ROLE_ARN, "  "), null);
        DerivedIdentity id = deriver.derive(sa, Set.of());
        assertFalse(id.labels().containsKey("idgate.io/aws-role-arn"));
        assertEquals("serviceaccount/payments/api", id.annotations().get("idgate.io/derived-from"));
    }

    @Test
    void groupsBecomeLabelsAndASortedAnnotation() {
        var sa = new ServiceAccountInfo("payments", "api", Map.of(), "1");
        DerivedIdentity id = deriver.derive(sa, Set.of("pci", "payments"));
        assertEquals("true", id.labels().get("groups.idgate.io/payments"));
        assertEquals("true", id.labels().get("groups.idgate.io/pci"));
        assertEquals("payments,pci", id.annotations().get("idgate.io/groups"));
    }

    @Test
    void diffOfAPodWithExactlyTheDerivedKeysIsEmpty() {
        var sa = new ServiceAccountInfo("payments", "api", Map.of(), "1");
        DerivedIdentity id = deriver.derive(sa, Set.of());
        var labels = new java.util.HashMap<>(id.labels());
        labels.put("app", "web");
        assertTrue(IdentityDiff.changes(deriver.keys(), labels, id.annotations(), id).isEmpty());
    }

    @Test
    void diffListsAddsReplacementsAndRemovalsInKeyOrder() {
        var sa = new ServiceAccountInfo("payments", "api", Map.of(), "1");
        DerivedIdentity id = deriver.derive(sa, Set.of());
        var changes = IdentityDiff.changes(deriver.keys(),
                Map.of("idgate.io/service-account", "admin", "groups.idgate.io/x", "true", "app", "web"), null, id);
        List<String> summary = changes.stream()
                .filter(c -> c.section() == KeyChange.Section.LABELS)
                .map(c -> c.key() + ":" + (c.isAdd() ? "add" : c.isRemove() ? "remove" : "replace")).toList();
        assertEquals(List.of("groups.idgate.io/x:remove", "idgate.io/namespace:add", "idgate.io/service-account:replace", "idgate.io/spiffe-id:add"), summary);
    }
}
