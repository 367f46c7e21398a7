package dev.socksbridge.junit;

import dev.socksbridge.proxy.ConnectionEvent;

/**
 * The code that opened a connection: the first stack frame outside the JDK, JUnit and socksbridge.
 *
 * @param className  fully qualified class name
 * @param methodName method name
 * @param fileName   source file, or {@code null} when the class has no debug information
 * @param line       line number, or -1 when unknown
 */
public record CallSite(String className, String methodName, String fileName, int line) {

    /** Used when no application frame was on the stack (or the caller could not be joined). */
    public static final CallSite UNKNOWN = new CallSite("?", "?", null, -1);

    static CallSite of(StackWalker.StackFrame frame) {
        return new CallSite(frame.getClassName(), frame.getMethodName(), frame.getFileName(), frame.getLineNumber());
    }

    /** The frame socksbridge recorded, or {@link #UNKNOWN} for {@code null}. */
    static CallSite of(ConnectionEvent.Frame frame) {
        return frame == null ? UNKNOWN : new CallSite(frame.className(), frame.methodName(), frame.fileName(),
                frame.line() == null ? -1 : frame.line());
    }

    public boolean isKnown() {
        return this != UNKNOWN && !"?".equals(className);
    }

    /** {@code com.acme.Billing.charge(Billing.java:88)}, the form IDEs turn into a link. */
    @Override
    public String toString() {
        if (!isKnown()) {
            return "unknown";
        }
        String where = fileName == null ? "Unknown Source" : line >= 0 ? fileName + ":" + line : fileName;
        return className + "." + methodName + "(" + where + ")";
    }
}
