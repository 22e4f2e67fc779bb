package io.idgate.fuzz;

import static io.idgate.fuzz.AdmissionInvariants.require;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.idgate.identity.LabelValues;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The label-value encoding (README "What idgate puts on a pod"): always a valid label value, deterministic, the value itself
 * when already valid, else the documented hash, and two different values that are not valid never
 * encode alike.
 */
@ExtendWith(FuzzRuns.class)
class LabelValuesFuzzTest {

    private static final String RFC4648_LOWER = "abcdefghijklmnopqrstuvwxyz234567";

    @FuzzTest
    void labelValues(FuzzedDataProvider data) {
        FuzzRuns.count();
        check(data);
    }

    static void check(FuzzedDataProvider data) {
        String a = data.consumeBoolean() ? data.consumeString(300) : codeUnits(data);
        String b = data.consumeBoolean() ? data.consumeRemainingAsString() : codeUnits(data);
        String encodedA = encoded(a);
        String encodedB = encoded(b);
        if (!a.equals(b) && !LabelValues.isValid(a) && !LabelValues.isValid(b)) {
            require(!encodedA.equals(encodedB), "\"" + a + "\" and \"" + b + "\" both encode to " + encodedA);
        }
    }

    /** Any UTF-16 code units, lone surrogates included (a JSON escape like \\ud800 gives one). */
    private static String codeUnits(FuzzedDataProvider data) {
        StringBuilder out = new StringBuilder();
        for (int n = data.consumeInt(0, 8); n > 0; n--) {
            out.append(data.consumeChar());
        }
        return out.toString();
    }

    private static String encoded(String value) {
        String encoded = LabelValues.encode(value);
        require(LabelValues.isValid(encoded), "encode(\"" + value + "\") = \"" + encoded + "\" is not a valid label value");
        require(encoded.equals(LabelValues.encode(value)), "encode is not deterministic for \"" + value + "\"");
        if (LabelValues.isValid(value)) {
            require(encoded.equals(value), "a valid label value must be used as it is: \"" + value + "\" became " + encoded);
        } else if (StandardCharsets.UTF_8.newEncoder().canEncode(value)) {
            require(encoded.equals(reference(value)), "encode(\"" + value + "\") = " + encoded + ", the documented hash is " + reference(value));
        } else {
            require(encoded.startsWith("sha256-") && encoded.length() == 39, "a value with a lone surrogate is hashed too: " + encoded);
        }
        return encoded;
    }

    /** sha256- and the first 32 characters of lowercase unpadded base32 (RFC 4648) of SHA-256(UTF-8): 160 bits, written independently. */
    private static String reference(String value) {
        byte[] first160Bits = Arrays.copyOf(sha256(value.getBytes(StandardCharsets.UTF_8)), 20);
        String digits = new BigInteger(1, first160Bits).toString(32); // digits 0-9a-v, most significant first
        StringBuilder out = new StringBuilder("sha256-");
        out.append("a".repeat(32 - digits.length())); // leading zero digits (RFC 4648 'a' = 0)
        for (char c : digits.toCharArray()) {
            out.append(RFC4648_LOWER.charAt(Character.digit(c, 32)));
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
