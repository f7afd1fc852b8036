package dev.hyperj.p2p.multistream;

import java.io.IOException;

/** Why a multistream-select negotiation failed: malformed or oversized message, no protocol in
 *  common, timeout, or the channel closed before a protocol was agreed. */
public final class MultistreamException extends IOException {
    private static final long serialVersionUID = 1L;

    public MultistreamException(String message) {
        super(message);
    }
}
