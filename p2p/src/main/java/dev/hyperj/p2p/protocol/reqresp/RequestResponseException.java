package dev.hyperj.p2p.protocol.reqresp;

import dev.hyperj.p2p.P2pException;

/** A request failed; {@link #reason()} says how. */
public final class RequestResponseException extends P2pException {
    /** Why a request failed. */
    public enum Reason {
        /** No stream to the peer: not connected and the dial failed, or the peer does not speak the protocol. */
        STREAM_FAILED,
        /** No complete response within the request timeout. */
        TIMEOUT,
        /** The response (client side) or request (server side) exceeds the maximum frame size, or is malformed. */
        BAD_FRAME,
        /** The peer closed or reset the stream without a response: its handler failed or refused the request. */
        NO_RESPONSE,
        /** The response bytes could not be decoded by the response codec. */
        BAD_RESPONSE,
        /** The request could not be encoded or sent. */
        SEND_FAILED
    }

    private final Reason reason;

    RequestResponseException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    RequestResponseException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
