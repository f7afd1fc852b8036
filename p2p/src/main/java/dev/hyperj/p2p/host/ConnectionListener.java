package dev.hyperj.p2p.host;

import dev.hyperj.p2p.multiformats.Multiaddr;

/** Connection events of a {@link Host}; called on the connection's event loop, keep them short. */
public interface ConnectionListener {
    /** The connection is upgraded, authenticated, allowed by the gater and usable. */
    default void connected(Connection connection) {}

    /** A connection that had been {@link #connected} closed. */
    default void disconnected(Connection connection) {}

    /** A connection closed before it was usable, with the logged reason (limit, garbage, timeout,
     *  peer id mismatch, gater deny, ...). {@code remote} is the socket address. */
    default void refused(Multiaddr remote, boolean inbound, String reason) {}
}
