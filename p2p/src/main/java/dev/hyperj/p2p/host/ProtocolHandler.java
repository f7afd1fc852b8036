package dev.hyperj.p2p.host;

import io.netty.channel.Channel;

/**
 * What a protocol implementation gives the host: called on the stream's event loop once the
 * protocol id was negotiated on a stream: inbound streams for the handlers registered with
 * {@link Host#addProtocol} ({@code info.initiator() == false}), outbound streams for the handler
 * passed to {@link Host#newStream(dev.hyperj.p2p.peer.PeerId, ProtocolHandler, String...)}
 * ({@code info.initiator() == true}). It installs its handlers with {@code stream.pipeline().addLast(..)}.
 * Bytes that arrived with the negotiation reach those handlers right after this returns. The
 * stream channel implements {@code dev.hyperj.p2p.mux.MuxedStream}. Throwing closes the stream.
 */
@FunctionalInterface
public interface ProtocolHandler {
    void initStream(Channel stream, StreamInfo info) throws Exception;
}
