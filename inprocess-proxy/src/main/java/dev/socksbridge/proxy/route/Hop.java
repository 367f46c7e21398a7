package dev.socksbridge.proxy.route;

import dev.socksbridge.proxy.Destination;
import java.util.Locale;
import java.util.Objects;

/**
 * One upstream proxy of a route: {@code socks5://[user:pass@]host:port} or {@code http://[user:pass@]host:port}.
 * {@link #toString()} names it without the password ({@code socks5://alice@127.0.0.1:1080}), so a hop can be
 * logged, put in events and error messages as it is.
 */
public final class Hop {

    /** How the proxy talks to this hop. */
    public enum Scheme {
        /** RFC 1928, with RFC 1929 username/password when credentials are given. */
        SOCKS5,
        /** HTTP/1.1 {@code CONNECT}, with {@code Proxy-Authorization: Basic} when credentials are given. */
        HTTP;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Scheme scheme;
    private final Destination address;
    private final String user;
    private final String password;

    /** @param user {@code null} for no authentication (then {@code password} must be null too) */
    public Hop(Scheme scheme, Destination address, String user, String password) {
        this.scheme = Objects.requireNonNull(scheme, "scheme");
        this.address = Objects.requireNonNull(address, "address");
        if ((user == null) != (password == null)) {
            throw new IllegalArgumentException("user and password: give both or neither");
        }
        this.user = user;
        this.password = password;
    }

    public Scheme scheme() {
        return scheme;
    }

    /** Where the hop listens. */
    public Destination address() {
        return address;
    }

    /** The user name to authenticate with, or {@code null}. */
    public String user() {
        return user;
    }

    boolean hasCredentials() {
        return user != null;
    }

    /** Package-private on purpose: only the connectors read it. */
    String password() {
        return password;
    }

    /** {@code socks5://alice@127.0.0.1:1080}: never the password. */
    @Override
    public String toString() {
        return scheme.label() + "://" + (user == null ? "" : user + "@") + address;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hop other && other.scheme == scheme && other.address.equals(address)
                && Objects.equals(other.user, user) && Objects.equals(other.password, password);
    }

    @Override
    public int hashCode() {
        return Objects.hash(scheme, address, user);
    }
}
