package io.idgate.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a webhook that decides nothing answers: an AdmissionReview answer recorded once, replayed to
 * every review with that review's uid in place of the recorded one (the API server refuses an answer
 * whose uid is not the request's). The uid is found by scanning for the first {@code "uid"} key after
 * {@code "request"}, not by parsing the review: the API server writes the request's uid first, before
 * {@code userInfo} (which may carry a uid of its own), and uids hold no escaped characters.
 */
public final class UidEcho {

    private static final byte[] REQUEST = bytes("\"request\"");
    private static final byte[] RESPONSE = bytes("\"response\"");
    private static final byte[] UID = bytes("\"uid\"");

    private final byte[] prefix;
    private final byte[] suffix;

    private UidEcho(byte[] prefix, byte[] suffix) {
        this.prefix = prefix;
        this.suffix = suffix;
    }

    /** The echo of {@code answer}, an AdmissionReview with a {@code response.uid}. */
    public static UidEcho of(byte[] answer) {
        Span uid = uid(answer, RESPONSE);
        if (uid == null) {
            throw new IllegalArgumentException("not an AdmissionReview answer with a response uid: "
                    + new String(answer, 0, Math.min(answer.length, 200), StandardCharsets.UTF_8));
        }
        return new UidEcho(Arrays.copyOfRange(answer, 0, uid.start()), Arrays.copyOfRange(answer, uid.end(), answer.length));
    }

    /** The recorded answer with {@code review}'s request uid, or null when the review has none. */
    public byte[] answer(byte[] review) {
        Span uid = uid(review, REQUEST);
        if (uid == null) {
            return null;
        }
        int length = uid.end() - uid.start();
        byte[] out = new byte[prefix.length + length + suffix.length];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(review, uid.start(), out, prefix.length, length);
        System.arraycopy(suffix, 0, out, prefix.length + length, suffix.length);
        return out;
    }

    /** Bytes {@code [start, end)} of {@code json}: a uid's value, without its quotes. */
    record Span(int start, int end) {}

    /** Where the value of the first {@code "uid"} after {@code object} lies in {@code json}; null when there is none. */
    static Span uid(byte[] json, byte[] object) {
        int from = indexOf(json, object, 0);
        int key = from < 0 ? -1 : indexOf(json, UID, from + object.length);
        if (key < 0) {
            return null;
        }
        int i = skipSpace(json, key + UID.length);
        if (i >= json.length || json[i] != ':') {
            return null;
        }
        i = skipSpace(json, i + 1);
        if (i >= json.length || json[i] != '"') {
            return null;
        }
        int start = i + 1;
        int end = start;
        while (end < json.length && json[end] != '"') {
            end++;
        }
        return end < json.length ? new Span(start, end) : null;
    }

    private static int skipSpace(byte[] json, int i) {
        while (i < json.length && (json[i] == ' ' || json[i] == '\n' || json[i] == '\r' || json[i] == '\t')) {
            i++;
        }
        return i;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
