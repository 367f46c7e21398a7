package dev.socksbridge.proxy.cli;

/** A bad command line; the message names the option and what was expected. */
public final class UsageException extends Exception {

    public UsageException(String message) {
        super(message);
    }
}
