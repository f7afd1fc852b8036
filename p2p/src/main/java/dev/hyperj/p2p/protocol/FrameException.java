package dev.hyperj.p2p.protocol;

import io.netty.handler.codec.DecoderException;

/**
 * A length-prefixed frame on a protocol stream was malformed (a varint longer than allowed, not
 * minimally encoded) or longer than the receiver accepts. Extends Netty's DecoderException so a
 * decoder can throw it through the pipeline without being wrapped.
 */
public final class FrameException extends DecoderException {
    private final boolean tooLarge;

    FrameException(String message, boolean tooLarge) {
        super(message);
        this.tooLarge = tooLarge;
    }

    /** True if the frame was well-formed but longer than the configured maximum. */
    public boolean tooLarge() {
        return tooLarge;
    }
}
