package dev.socksbridge.agent.inventory;

/** A problem with a file the inventory reads or writes, with a message naming the file (and line) for the user. */
public final class InventoryException extends RuntimeException {

    public InventoryException(String message) {
        super(message);
    }

    public InventoryException(String message, Throwable cause) {
        super(message, cause);
    }
}
