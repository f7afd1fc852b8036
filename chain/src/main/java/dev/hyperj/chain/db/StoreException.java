package dev.hyperj.chain.db;

import dev.hyperj.chain.ChainException;

/** The database could not be opened, read or written. */
public final class StoreException extends ChainException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
