package dev.socksbridge.agent;

import dev.socksbridge.agent.bootstrap.ConnectObserver;
import dev.socksbridge.agent.bootstrap.Hooks;
import java.util.List;

/**
 * The start-up steps that change the running JVM after the proxy listens, in this order. An interface
 * so a test can make each one fail and check that start-up leaves the JVM as it was.
 */
interface JvmChanges {

    JvmChanges REAL = new JvmChanges() {
        @Override
        public void installHooks(ConnectObserver observer, List<String> callerExclude) {
            Hooks.install(observer, callerExclude);
        }

        @Override
        public void pointProxySettings(JvmProxySettings settings) {
            settings.point();
        }

        @Override
        public void addShutdownHook(Thread hook) {
            Runtime.getRuntime().addShutdownHook(hook); // throws when attached to a JVM already exiting
        }
    };

    void installHooks(ConnectObserver observer, List<String> callerExclude);

    void pointProxySettings(JvmProxySettings settings);

    void addShutdownHook(Thread hook);
}
