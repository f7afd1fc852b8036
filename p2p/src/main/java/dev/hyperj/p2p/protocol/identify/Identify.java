package dev.hyperj.p2p.protocol.identify;

/**
 * libp2p identify: {@value #PROTOCOL_ID} (a peer asks, the other answers with an Identify message
 * and closes) and {@value #PUSH_PROTOCOL_ID} (a peer sends its Identify message unasked when its
 * addresses or protocols change).
 */
public final class Identify {
    public static final String PROTOCOL_ID = "/ipfs/id/1.0.0";
    public static final String PUSH_PROTOCOL_ID = "/ipfs/id/push/1.0.0";
    /** What js-libp2p and go-libp2p send as protocolVersion. */
    public static final String PROTOCOL_VERSION = "ipfs/0.1.0";
    /** Largest Identify message read or written (as js-libp2p and go-libp2p). */
    static final int MAX_MESSAGE_SIZE = 8 * 1024;
    /** Messages read from one stream at most (an answer may be split into several). */
    static final int MAX_MESSAGES = 10;

    private Identify() {
    }
}
