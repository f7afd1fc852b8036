package dev.hyperj.chain.db;

/** The database could not be opened, read or written. */
public final class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
