/**
 * The libp2p host over TCP: {@link dev.hyperj.p2p.host.Host} listens and dials, upgrades each
 * connection and dispatches streams to {@link dev.hyperj.p2p.host.ProtocolHandler}s; callers open
 * streams as {@link dev.hyperj.p2p.host.PeerStream}s, which keep Netty out of their hands.
 *
 * <p>Connection pipeline, one Netty event loop per connection:
 * <pre>
 * socket -> multistream-select (/noise or /pos-transport/1.0.0) -> Noise (XX handshake, then the
 *        transport codec) -> gate: peer id check, per-peer limit, ConnectionGater with timeout, reads
 *        paused and early plaintext held (bounded) -> multistream-select (/yamux/1.0.0, /mplex/6.7.0)
 *        -> StreamMuxer -> tail (errors become a logged close)
 * stream -> multistream-select (listener: registered protocol ids; dialer: the caller's list) -> handlers
 * </pre>
 * One deadline ({@link dev.hyperj.p2p.host.ConnectionLimits#handshakeTimeout()}) covers connect and
 * the whole upgrade. Every connection that ends before it is usable is reported with its reason to
 * {@link dev.hyperj.p2p.host.ConnectionListener#refused} and in the dial's failed future.
 */
package dev.hyperj.p2p.host;
