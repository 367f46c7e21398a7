package dev.socksbridge.demo;

/** The embedded targets run on daemon threads so they never keep the demo's JVM alive. */
final class Daemons {
    private Daemons() {
    }

    static void start(String name, Runnable body) {
        Thread thread = new Thread(body, "demo-" + name);
        thread.setDaemon(true);
        thread.start();
    }
}
