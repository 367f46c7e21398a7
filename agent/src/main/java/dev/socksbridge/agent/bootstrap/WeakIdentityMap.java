package dev.socksbridge.agent.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A concurrent map with weak keys compared by identity. Netty's native sockets compare equal by file
 * descriptor number, which the OS reuses as soon as a socket closes, so state about one socket must not
 * be found under another that got the same number; and a socket dropped without ever connecting must
 * leave nothing behind.
 */
final class WeakIdentityMap<V> {

    private final ConcurrentHashMap<Key, V> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

    void put(Object key, V value) {
        expunge();
        map.put(new Key(key, collected), value);
    }

    V get(Object key) {
        return map.isEmpty() ? null : map.get(new Key(key, null));
    }

    V remove(Object key) {
        return map.isEmpty() ? null : map.remove(new Key(key, null));
    }

    boolean isEmpty() {
        return map.isEmpty();
    }

    private void expunge() {
        for (Object gone = collected.poll(); gone != null; gone = collected.poll()) {
            map.remove(gone);
        }
    }

    /** A weak reference that hashes and compares by the identity of its referent. */
    private static final class Key extends WeakReference<Object> {
        private final int hash;

        Key(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            Object referent = get();
            return other instanceof Key key && referent != null && referent == key.get();
        }
    }
}
