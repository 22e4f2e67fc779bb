package io.idgate.identity;

/**
 * Keeps a message on one line when it quotes what a requester wrote. Refusals list one problem per
 * line and kubectl prints them as they are, so a label value or a CIDR with a line break (objects
 * reach admission before the API server validates them) could otherwise add lines of its own.
 */
public final class OneLine {

    private OneLine() {}

    /** {@code text} with control characters and line separators written as escapes ({@code \n}, {@code \u0016}). */
    public static String of(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean escape = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (escape && out == null) {
                out = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (out != null) {
                if (!escape) {
                    out.append(c);
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == '\t') {
                    out.append("\\t");
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return out == null ? text : out.toString();
    }
}
