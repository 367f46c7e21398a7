package dev.socksbridge.agent.rules;

/**
 * Who a rule is for, matched against the calling class's binary name (as the log line and the events file
 * show it): {@code com.acme.Billing} (that class and its nested, anonymous and lambda classes,
 * {@code com.acme.Billing$1}), {@code com.acme.billing.*} (the classes of one package) or
 * {@code com.acme.billing.**} (a package and its sub-packages). An unknown caller matches no pattern.
 */
public final class CallerPattern {

    static final String EXPECTED = "expected: a class (com.acme.Billing), the classes of a package (com.acme.billing.*)"
            + " or a package and its sub-packages (com.acme.billing.**)";

    private enum Kind { CLASS, PACKAGE, SUBTREE }

    private final String text;
    private final Kind kind;
    private final String name; // the class name, or the package name followed by '.'

    private CallerPattern(String text, Kind kind, String name) {
        this.text = text;
        this.kind = kind;
        this.name = name;
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code text} (without the text itself) */
    public static CallerPattern parse(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty caller; " + EXPECTED);
        }
        Kind kind = text.endsWith(".**") ? Kind.SUBTREE : text.endsWith(".*") ? Kind.PACKAGE : Kind.CLASS;
        String qualified = switch (kind) {
            case SUBTREE -> text.substring(0, text.length() - 3);
            case PACKAGE -> text.substring(0, text.length() - 2);
            case CLASS -> text;
        };
        for (String segment : qualified.split("\\.", -1)) {
            if (!isIdentifier(segment)) {
                throw new IllegalArgumentException("caller '" + text + "' is not a class or package name"
                        + (text.contains("*") ? " ('*' and '**' only as the last part)" : "") + "; " + EXPECTED);
            }
        }
        return new CallerPattern(text, kind, kind == Kind.CLASS ? qualified : qualified + ".");
    }

    private static boolean isIdentifier(String segment) {
        if (segment.isEmpty() || !Character.isJavaIdentifierStart(segment.charAt(0))) {
            return false;
        }
        return segment.chars().allMatch(Character::isJavaIdentifierPart);
    }

    /** @param callerClass the calling class's binary name; {@code null} (unknown, external) never matches */
    public boolean matches(String callerClass) {
        if (callerClass == null) {
            return false;
        }
        return switch (kind) {
            case CLASS -> callerClass.equals(name)
                    || callerClass.length() > name.length() && callerClass.startsWith(name)
                    && callerClass.charAt(name.length()) == '$';
            case PACKAGE -> callerClass.startsWith(name) && callerClass.indexOf('.', name.length()) < 0;
            case SUBTREE -> callerClass.startsWith(name);
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
