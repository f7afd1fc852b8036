/**
 * multistream-select 1.0 ({@code /multistream/1.0.0}) protocol negotiation as Netty handlers:
 * {@link dev.hyperj.p2p.multistream.MultistreamSelect#dialer} and
 * {@link dev.hyperj.p2p.multistream.MultistreamSelect#listener}, used by the host on raw
 * connections (security protocol), on secured connections (muxer) and on every stream. Messages
 * are bounded (1 KiB), negotiations by rounds and time; failures close the channel with a reason.
 */
package dev.hyperj.p2p.multistream;
