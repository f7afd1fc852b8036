package dev.hyperj.p2p.host;

import java.io.IOException;

/** A connection could not be established or upgraded; the message says why. */
public final class UpgradeException extends IOException {
    private static final long serialVersionUID = 1L;

    public UpgradeException(String message) {
        super(message);
    }

    public UpgradeException(String message, Throwable cause) {
        super(message, cause);
    }
}
