package dev.hyperj.p2p.multistream;

import java.io.IOException;

/** Why a multistream-select negotiation failed: malformed or oversized message, no protocol in
 *  common, timeout, or the channel closed before a protocol was agreed. */
public final class MultistreamException extends IOException {
    private static final long serialVersionUID = 1L;

    private final boolean refused;

    public MultistreamException(String message) {
        this(message, false);
    }

    /** {@code refused}: the peer answered, and its answer was no (na, or another protocol). */
    public MultistreamException(String message, boolean refused) {
        super(message);
        this.refused = refused;
    }

    /**
     * True if the peer explicitly declined (na or a wrong answer), false if the negotiation broke
     * off otherwise (timeout, close, reset, malformed input). A lazily negotiated stream reset
     * before the answer is not a refusal: the peer may have refused the protocol or the data.
     */
    public boolean refused() {
        return refused;
    }
}
