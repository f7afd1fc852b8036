package dev.hyperj.p2p.host;

/** How an outbound stream negotiates its protocol with multistream-select. */
public enum Negotiation {
    /** Propose, wait for the listener's answer, then hand the stream over: one round trip before the first byte. */
    FULL,
    /**
     * With exactly one protocol: send the proposal and hand the stream over at once, so its first
     * bytes travel with the proposal (one round trip fewer); the listener's echo is checked when it
     * arrives, and an {@code na} fails the stream with a {@code MultistreamException} delivered to
     * its handlers' {@code exceptionCaught}. With several protocols it is {@link #FULL}.
     */
    LAZY
}
