package dev.hyperj.subnet.consensus;

/** A heartbeat message that is not one. */
public final class HeartbeatFormatException extends IllegalArgumentException {
    public HeartbeatFormatException(String message) {
        super(message);
    }
}
