package dev.socksbridge.proxy.route;

/** Masks the passwords in route texts before they go into an error message or a log line. */
public final class Redaction {

    private Redaction() {
    }

    /**
     * Every {@code user:password@} in {@code text} (with or without a scheme before it) becomes
     * {@code user:***@}; the rest is kept, so the message still shows what was wrong.
     */
    public static String mask(String text) {
        if (text == null || text.indexOf('@') < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int end = i;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            out.append(maskToken(text.substring(i, end)));
            while (end < text.length() && Character.isWhitespace(text.charAt(end))) {
                out.append(text.charAt(end++));
            }
            i = end;
        }
        return out.toString();
    }

    private static String maskToken(String token) {
        int at = token.lastIndexOf('@');
        if (at < 0) {
            return token;
        }
        int scheme = token.indexOf("://");
        int userStart = scheme >= 0 && scheme < at ? scheme + 3 : 0;
        int arrow = token.lastIndexOf("->", at);
        if (arrow >= userStart) {
            userStart = arrow + 2; // PATTERN->user:pass@... written without spaces
            int innerScheme = token.indexOf("://", userStart);
            if (innerScheme >= 0 && innerScheme < at) {
                userStart = innerScheme + 3;
            }
        }
        int colon = token.indexOf(':', userStart);
        if (colon < 0 || colon > at) {
            return token; // a user name only: nothing secret
        }
        return token.substring(0, colon + 1) + "***" + token.substring(at);
    }
}
