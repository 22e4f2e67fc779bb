package io.idgate.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.regex.Pattern;

/**
 * The encoding rule that turns an identity value into a label value.
 *
 * <p>A value that is already a valid Kubernetes label value (at most 63 characters of
 * {@code [A-Za-z0-9._-]}, alphanumeric at both ends) is used as it is, so namespaces, most
 * ServiceAccount names and Azure client IDs stay readable. Anything else (SPIFFE IDs, ARNs, e-mail
 * addresses, names over 63 characters) becomes {@code sha256-} followed by the first 32 characters of
 * the lowercase, unpadded base32 of SHA-256 of the UTF-8 value: 39 characters, always valid, and
 * computable by anyone (160 bits of the hash, so collisions are not a practical concern).
 */
public final class LabelValues {

    /** Prefix of every hashed label value. */
    public static final String HASH_PREFIX = "sha256-";
    /** Number of base32 characters kept from the digest. */
    public static final int HASH_CHARS = 32;
    /** Longest valid label value. */
    public static final int MAX_LENGTH = 63;

    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
    private static final char[] BASE32 = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    private LabelValues() {}

    /** True when {@code value} may be used as a Kubernetes label value unchanged. */
    public static boolean isValid(String value) {
        return value != null && value.length() <= MAX_LENGTH && LABEL_VALUE.matcher(value).matches();
    }

    /** The label value for {@code value}: itself when valid, else its {@code sha256-} hash form. */
    public static String encode(String value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null");
        }
        if (isValid(value)) {
            return value;
        }
        return hashed(value);
    }

    /** The {@code sha256-} form of {@code value}, whether or not it is a valid label value. */
    public static String hashed(String value) {
        return HASH_PREFIX + base32(sha256(utf8(value))).substring(0, HASH_CHARS);
    }

    /**
     * UTF-8, also for a Java string that is not valid Unicode: {@code getBytes(UTF_8)} writes every
     * lone surrogate as {@code ?}, so "\uD800", "\uD801" and "?" would hash alike. A lone surrogate is
     * written as its own three bytes instead (generalized UTF-8); valid strings are unchanged. (A
     * review can carry one as a JSON escape; the API server never sends one.)
     */
    private static byte[] utf8(String value) {
        boolean wellFormed = value.chars().noneMatch(c -> Character.isSurrogate((char) c))
                || StandardCharsets.UTF_8.newEncoder().canEncode(value);
        if (wellFormed) {
            return value.getBytes(StandardCharsets.UTF_8);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(value.length() * 3);
        value.codePoints().forEach(cp -> { // a lone surrogate comes through as its own code point
            if (cp < 0x80) {
                out.write(cp);
            } else if (cp < 0x800) {
                out.write(0xC0 | cp >> 6);
                out.write(0x80 | cp & 0x3F);
            } else if (cp < 0x10000) {
                out.write(0xE0 | cp >> 12);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            } else {
                out.write(0xF0 | cp >> 18);
                out.write(0x80 | cp >> 12 & 0x3F);
                out.write(0x80 | cp >> 6 & 0x3F);
                out.write(0x80 | cp & 0x3F);
            }
        });
        return out.toByteArray();
    }

    static String base32(byte[] data) {
        StringBuilder out = new StringBuilder((data.length * 8 + 4) / 5);
        int buffer = 0;
        int bits = 0;
        for (byte b : data) {
            buffer = (buffer << 8) | (b & 0xff);
            bits += 8;
            while (bits >= 5) {
                out.append(BASE32[(buffer >>> (bits - 5)) & 31]);
                bits -= 5;
            }
        }
        if (bits > 0) {
            out.append(BASE32[(buffer << (5 - bits)) & 31]);
        }
        return out.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
