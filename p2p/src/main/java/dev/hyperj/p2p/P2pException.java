package dev.hyperj.p2p;

/**
 * The root of p2p's unchecked failures: an exchange with a peer that did not complete (ping,
 * identify, request/response). A caller that handles "the network said no" catches this one type.
 *
 * <p>Two families keep the parent Java gives their kind, since Java has no root that is both
 * checked and unchecked and their callers depend on that parent:
 * <ul>
 *   <li>malformed input (multiformats, keys, protobuf, gossip and Kademlia messages, DHT records,
 *       refused publications) extends {@link IllegalArgumentException}: parsers across the
 *       modules, the command line and the API answer bad input by catching that;</li>
 *   <li>failures of a connection's upgrade and streams (multistream-select, Noise, Yamux/mplex,
 *       stream resets, the upgrade) extend {@link java.io.IOException}, checked: Netty hands them to
 *       {@code exceptionCaught} and the connection closes, as for any other I/O error.</li>
 * </ul>
 * {@link dev.hyperj.p2p.protocol.FrameException} extends Netty's {@code DecoderException} so a
 * decoder throws it through the pipeline unwrapped, and {@link
 * dev.hyperj.p2p.resources.ResourceLimitException} is checked so no caller forgets a refusal.
 */
public class P2pException extends RuntimeException {
    protected P2pException(String message) {
        super(message);
    }

    protected P2pException(String message, Throwable cause) {
        super(message, cause);
    }
}
