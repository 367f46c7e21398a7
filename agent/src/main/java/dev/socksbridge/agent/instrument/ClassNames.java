package dev.socksbridge.agent.instrument;

/** Matching hooked library classes by name, in their own package or relocated into another library's. */
final class ClassNames {

    private ClassNames() {
    }

    /**
     * Whether {@code internalName} is {@code name} or {@code name} under a package prefix (a relocated
     * copy, e.g. {@code io/grpc/netty/shaded/io/netty/channel/unix/Socket}); both internal names.
     */
    static boolean isOrRelocates(String internalName, String name) {
        return internalName.endsWith(name)
                && (internalName.length() == name.length()
                        || internalName.charAt(internalName.length() - name.length() - 1) == '/');
    }
}
