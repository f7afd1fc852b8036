/**
 * Stream multiplexers for secured libp2p connections: Yamux ({@code /yamux/1.0.0}) and mplex
 * ({@code /mplex/6.7.0}).
 *
 * <p>Public API: {@link dev.hyperj.p2p.mux.StreamMuxer} (the handler installed last on a connection's
 * pipeline; {@code create}, {@code openStream}, {@code openStreams}, {@code goAway}),
 * {@link dev.hyperj.p2p.mux.MuxedStream} (implemented by every stream channel: {@code closeWrite},
 * {@code reset}), {@link dev.hyperj.p2p.mux.MuxerConfig}, {@link dev.hyperj.p2p.mux.MuxerProtocol},
 * {@link dev.hyperj.p2p.mux.StreamResetEvent}, {@link dev.hyperj.p2p.mux.StreamResetException} and
 * {@link dev.hyperj.p2p.mux.MuxerException} (why a muxer closed its connection).
 *
 * <p>Streams are Netty child channels ({@code AbstractChannel}) on the connection's event loop, each
 * with its own pipeline and config (allocator inherited from the connection).
 *
 * <p>Write path: a child flush moves the flushed ByteBufs of its outbound buffer into data frames,
 * each at most the remote's window (Yamux) and 256 KiB, as a header plus a retained slice of the
 * payload (payloads up to 1 KiB are copied next to their header) gathered into one
 * {@code CompositeByteBuf} per child flush, so the encryption below sees large buffers; the
 * connection is flushed once per child flush. Writes that do not fit wait in the child's outbound
 * buffer, so its {@code isWritable()} and {@code channelWritabilityChanged} give back-pressure;
 * they resume on a window update. A stream also stops while the connection itself is not writable
 * (and resumes on its writability change), so an unread connection holds data in the streams
 * rather than below them: this is mplex's only back-pressure.
 *
 * <p>Read path: payloads are never accumulated. Once a 12-byte Yamux header (or mplex's two
 * varints) is complete, its length is checked against the stream's window (Yamux) or the frame
 * limit (mplex) before anything else, then the payload is handed on as retained slices of the
 * connection's input as it arrives, queued on the stream and delivered at the connection's read
 * complete (or when the stream's {@code read()} asks, with autoRead off).
 *
 * <p>Yamux flow control: each stream grants 256 KiB (or {@code initialWindow}, advertised in the
 * SYN/ACK). Bytes count as consumed when delivered to the stream's pipeline; once half the window
 * is consumed, a window update returns the credit. If that half-window was used up within four
 * round trips (RTT measured by our pings), the sender was waiting on us rather than on the reader,
 * and the window doubles, up to {@code maxWindow}. A stream whose reader stops (autoRead off)
 * therefore holds at most its window. mplex has no flow control: a stream buffering more than
 * {@code maxBufferedPerStream} unread bytes is reset.
 *
 * <p>Closing: {@code closeWrite} sends FIN after pending writes; a remote FIN fires
 * {@code ChannelInputShutdownEvent} then {@code ChannelInputShutdownReadComplete} after the
 * queued data; with both sides finished the channel closes. {@code close()} sends FIN (or RST if
 * writes were still queued) and the stream then waits up to 10 s for the remote's FIN, crediting
 * and discarding its data, before a reset. A remote reset fires {@link dev.hyperj.p2p.mux.StreamResetEvent}
 * and closes the channel; the connection closing closes every stream.
 *
 * <p>Hostile input (bad version or type, data beyond the window, frames for streams that never
 * existed, reused or wrong-parity ids, window overflow, oversized mplex frames or varints, floods
 * of refused stream opens) logs one line with the reason and closes the connection, Yamux after a
 * GoAway with the protocol-error code. Frames for streams that existed and were since closed are
 * discarded, since they may have been in flight.
 */
package dev.hyperj.p2p.mux;
