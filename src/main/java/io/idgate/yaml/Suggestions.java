package io.idgate.yaml;

import java.util.List;
import java.util.Locale;

/** Nearest-name suggestions for misspelt keys and values ("did you mean ...?"). */
public final class Suggestions {

    private Suggestions() {}

    /** The allowed name nearest to {@code given} (case-insensitive edit distance), or null when none is close. */
    public static String nearest(String given, List<String> allowed) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String a : allowed) {
            int d = distance(given.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = a;
            }
        }
        // a third of the name (at least 2 edits): close enough to be a typo, far enough not to guess wildly
        return best != null && bestDistance <= Math.max(2, best.length() / 3) ? best : null;
    }

    /** Levenshtein distance, two rows at a time. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
