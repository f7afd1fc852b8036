package dev.hyperj.p2p.multistream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * multistream-select 1.0 ({@value #PROTOCOL_ID}) as Netty handlers, usable on a raw connection
 * (to pick the security protocol, then the muxer on the secured channel) and on each stream.
 *
 * <p>Each message is an unsigned-varint length (counting the trailing newline), UTF-8 text and
 * {@code '\n'}. The dialer sends the header and its first proposal together; the listener answers
 * with the header and either the echoed protocol or {@code na}; the dialer then tries the next
 * proposal. The listener also answers {@code ls} with its protocol list.
 *
 * <p>A handler is added as the last handler of a pipeline. When a protocol is agreed it calls
 * {@link Outcome#selected} (which adds the handlers for that protocol after it), removes itself
 * and passes any bytes that followed the final message (a pipelining peer sends application data
 * in the same packet) on to those handlers. On failure (message longer than
 * {@value #MAX_MESSAGE_LENGTH} bytes, malformed message, no common protocol, timeout, too many
 * rounds, channel closed) it logs the reason, calls {@link Outcome#failed} and closes the channel.
 */
public final class MultistreamSelect {
    /** The multistream-select header. */
    public static final String PROTOCOL_ID = "/multistream/1.0.0";
    /** Longest message accepted or sent, in bytes, newline included. */
    public static final int MAX_MESSAGE_LENGTH = 1024;
    /** Negotiation rounds (proposals, {@code ls}) a listener accepts before giving up. */
    public static final int MAX_ROUNDS = 32;

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private MultistreamSelect() {}

    /** What happens when the negotiation ends; called on the channel's event loop. */
    public interface Outcome {
        /** A protocol was agreed: add its handlers to {@code channel.pipeline()} (addLast). Bytes that
         *  followed the negotiation reach them right after this returns. Throwing closes the channel. */
        void selected(Channel channel, String protocol) throws Exception;

        /** The negotiation failed; the channel is being closed. */
        default void failed(Channel channel, MultistreamException cause) {}
    }

    /** The initiator's handler: proposes {@code protocols} in order until the listener accepts one. */
    public static ChannelHandler dialer(List<String> protocols, Duration timeout, Outcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        List<String> copy = List.copyOf(protocols);
        if (copy.isEmpty()) {
            throw new IllegalArgumentException("no protocols to propose");
        }
        copy.forEach(MultistreamCodec::checkSendable);
        return new MultistreamHandler(true, false, copy, null, timeout, outcome);
    }

    /**
     * The initiator's handler for lazy (optimistic) negotiation of one protocol, as go-libp2p and
     * js-libp2p do: it writes the header and {@code protocol} and at once calls
     * {@link Outcome#selected}, so the handlers it installs can write their first bytes behind the
     * proposal without waiting a round trip for the listener's answer. The handler stays first to
     * check that answer: inbound bytes reach the protocol's handlers only after the listener's
     * header and echo (both are consumed). If the listener answers {@code na} (or anything else,
     * or the channel closes or times out first), it calls {@link Outcome#failed}, fires a
     * {@link MultistreamException} down the pipeline ({@code exceptionCaught} of the protocol's
     * handlers) and closes the channel.
     *
     * <p>Only for protocols whose dialer may speak first or waits for the listener anyway; what the
     * dialer wrote before an {@code na} is lost (the listener reads it as a next proposal and
     * gives up).
     */
    public static ChannelHandler lazyDialer(String protocol, Duration timeout, Outcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        MultistreamCodec.checkSendable(protocol);
        return new MultistreamHandler(true, true, List.of(protocol), null, timeout, outcome);
    }

    /** The responder's handler: accepts the first proposal contained in {@code protocols} (read at
     *  each proposal, so a live concurrent set may be passed). */
    public static ChannelHandler listener(Set<String> protocols, Duration timeout, Outcome outcome) {
        Objects.requireNonNull(protocols, "protocols");
        Objects.requireNonNull(outcome, "outcome");
        return new MultistreamHandler(false, false, List.of(), protocols, timeout, outcome);
    }
}
