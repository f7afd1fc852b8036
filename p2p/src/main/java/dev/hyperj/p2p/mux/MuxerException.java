package dev.hyperj.p2p.mux;

import java.io.IOException;

/** Why a muxer closed its connection: a protocol violation by the remote, or a local limit it hit. */
public final class MuxerException extends IOException {
    public MuxerException(String message) {
        super(message);
    }
}
