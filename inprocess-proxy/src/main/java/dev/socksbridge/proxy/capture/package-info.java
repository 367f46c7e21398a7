/**
 * What the agent and the JUnit extension share to capture a JVM's own outbound connections: the
 * {@link java.net.ProxySelector} that sends them to the in-process proxy, and who asked (the caller's stack
 * frame, whether its thread is virtual). Uses {@code java.base} only and nothing else of the proxy: the
 * agent's copy of {@link dev.socksbridge.proxy.capture.CallerFinder} and
 * {@link dev.socksbridge.proxy.capture.VirtualThreads} sits on the boot class path, called from advice
 * inlined into JDK classes.
 */
package dev.socksbridge.proxy.capture;
