package io.idgate.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The label-value encoding rule. Expected hashes were computed outside Java (Python hashlib + base64). */
class LabelValuesTest {

    record Row(String name, String value, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> encodings() {
        return Stream.of(
                new Row("a namespace is used as it is", "payments", "payments"),
                new Row("a ServiceAccount name with dots is used as it is", "api.v2_internal-x", "api.v2_internal-x"),
                new Row("an Azure client id (GUID) is used as it is", "11111111-2222-3333-4444-555555555555", "11111111-2222-3333-4444-555555555555"),
                new Row("exactly 63 characters is used as it is", "a".repeat(63), "a".repeat(63)),
                new Row("64 characters is hashed", "a".repeat(64), "sha256-77qfj7t24dfw3rs4hl43mhksbh2dtbi5"),
                new Row("a 253-character ServiceAccount name is hashed", "a".repeat(253), "sha256-gkczuovwllcssmxbn6wwaydfgy3nm5dp"),
                new Row("a GCP service account e-mail is hashed", "reporter@analytics-prod.iam.gserviceaccount.com", "sha256-vkbh7ky6jwulixuo7d7ujdl3luuw6vv7"),
                new Row("an AWS role ARN is hashed", "arn:aws:iam::123456789012:role/payments-ledger", "sha256-ljdjmwizmuveqxnwv7uihdr2oz4esbb4"),
                new Row("a SPIFFE ID is hashed", "spiffe://cluster.local/ns/payments/sa/api", "sha256-3xomkm7c7h2uqlaxlqhkih2ypzngfxep"),
                new Row("a leading dash is hashed", "-leading", "sha256-lcrxnx7p66dyunht2d3r7h6sglfbfyst"),
                new Row("a trailing dot is hashed", "trailing.", "sha256-itasutsdf25d675ggt6rc3xpheak3elg"),
                new Row("non-ASCII is hashed over its UTF-8 bytes", "zahlung-ä", "sha256-kng3jghvfawyfgasx3n5aigdr55tkkcs"),
                new Row("the empty string is a valid label value", "", ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void encodes(Row row) {
        String encoded = LabelValues.encode(row.value());
        assertEquals(row.expected(), encoded);
        assertTrue(LabelValues.isValid(encoded), "every encoded value is a valid label value");
    }

    @Test
    void namesSharingA60CharacterPrefixGetDifferentLabels() {
        String one = LabelValues.encode("x".repeat(60) + "-one");
        String two = LabelValues.encode("x".repeat(60) + "-two");
        assertEquals("sha256-r2y4p2uvopwnnzi2rght2fleqh6ivqui", one);
        assertEquals("sha256-in2del72oaqqjzr33lcgsv75vhabpsxb", two);
        assertNotEquals(one, two);
    }

    @Test
    void loneSurrogatesHashApartFromEachOtherAndFromAQuestionMark() {
        // getBytes(UTF_8) writes each as '?': all three used to get the same label value
        String high = LabelValues.encode("\uD800");
        String otherHigh = LabelValues.encode("\uD801");
        String questionMark = LabelValues.encode("?");
        assertEquals("sha256-rkg6qi6v5u7be5dkmlxrng6pg4v6bsse", questionMark, "valid strings keep the documented hash");
        assertNotEquals(high, otherHigh);
        assertNotEquals(high, questionMark);
        assertEquals(LabelValues.encode("a\uD83D\uDE00"), LabelValues.hashed("a\uD83D\uDE00"), "a surrogate pair is one character");
    }

    @Test
    void hashedFormIsThirtyNineCharacters() {
        assertEquals(39, LabelValues.hashed("anything").length());
    }

    @Test
    void base32MatchesRfc4648TestVectors() {
        // RFC 4648 section 10, lower-cased and unpadded
        assertEquals("", LabelValues.base32(new byte[0]));
        assertEquals("my", LabelValues.base32("f".getBytes()));
        assertEquals("mzxq", LabelValues.base32("fo".getBytes()));
        assertEquals("mzxw6", LabelValues.base32("foo".getBytes()));
        assertEquals("mzxw6yq", LabelValues.base32("foob".getBytes()));
        assertEquals("mzxw6ytb", LabelValues.base32("fooba".getBytes()));
        assertEquals("mzxw6ytboi", LabelValues.base32("foobar".getBytes()));
    }
}
