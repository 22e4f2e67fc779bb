package io.idgate.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentityDeriverTest {

    private final IdentityDeriver deriver = new IdentityDeriver(IdentityConfig.DEFAULTS);

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
