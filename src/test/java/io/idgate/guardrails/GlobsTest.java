package io.idgate.guardrails;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.idgate.identity.WorkloadIdentity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Guardrail globs: {@code *} is any run of characters (also {@code /} and {@code :}), everything else itself, case-sensitive. */
class GlobsTest {

    @ParameterizedTest(name = "{0} ~ {1}: {2}")
    @CsvSource({
        "payments, payments, true",
        "payments, payment, false",
        "payments, paymentsx, false",
        "pay*, payments, true",
        "pay*, pa, false",
        "*, '', true",
        "'', '', true",
        "'', x, false",
        "*-api, ledger-api, true",
        "*-api, ledger-apix, false",
        "a*b*c, axxbyyc, true",
        "a*b*c, axxbyy, false",
        "a**c, ac, true",
        "arn:aws:iam::1:role/pay-*, arn:aws:iam::1:role/pay-ledger, true",
        "arn:aws:iam::1:role/pay-*, arn:aws:iam::2:role/pay-ledger, false",
        "*/x, a/b/x, true",
        "Payments, payments, false",
    })
    void aGlobMatchesTheWholeValue(String glob, String value, boolean matches) {
        assertEquals(matches, Globs.matches(glob, value));
        // the same glob read in place, as a part of a longer pattern
        String around = "<<" + glob + ">>";
        assertEquals(matches, Globs.matches(around, 2, 2 + glob.length(), value));
    }

    @ParameterizedTest(name = "{0} has {1}/{2}: {3}")
    @CsvSource({
        "payments/ledger, payments, ledger, true",
        "payments/*, payments, ledger, true",
        "*/ledger, shop, ledger, true",
        "payments/ledger, payments, ledger-2, false",
        "payments/ledger, payment, ledger, false",
        "pay*/l*, payments, ledger, true",
        "pay*/l*, shop, ledger, false",
        "*/*, any, one, true",
    })
    void aServiceAccountMemberMatchesNamespaceAndNameApart(String pattern, String namespace, String name, boolean matches) {
        var member = new GroupMember(GroupMember.Kind.SERVICE_ACCOUNT, pattern);
        assertEquals(matches, member.matches(new WorkloadIdentity(namespace, name, null, null, null, null)));
    }

    @ParameterizedTest(name = "{0} ~ null")
    @CsvSource({"*", "x"})
    void nothingMatchesAnAbsentValue(String glob) {
        assertEquals(false, Globs.matches(glob, null));
    }
}
