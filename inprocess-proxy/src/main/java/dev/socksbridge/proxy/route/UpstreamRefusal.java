package dev.socksbridge.proxy.route;

import java.io.IOException;

/**
 * A hop answered that it cannot reach what it was asked to connect to; {@link #failure()} is of the kind a
 * direct connect failing the same way throws. Internal to the connectors: {@link HopChain} rewords it.
 */
final class UpstreamRefusal extends IOException {

    private final IOException failure;

    UpstreamRefusal(IOException failure) {
        super(failure.getMessage(), failure);
        this.failure = failure;
    }

    IOException failure() {
        return failure;
    }
}
