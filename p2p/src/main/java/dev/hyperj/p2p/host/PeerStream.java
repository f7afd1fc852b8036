package dev.hyperj.p2p.host;

import dev.hyperj.p2p.peer.PeerId;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A negotiated stream to a peer, as {@link Host#newStream} and {@link Connection#newStream} give
 * it: bytes in both directions, half-close, close and reset, without the transport underneath.
 * Safe to use from any thread. Reading is pull-based and bounded: the stream buffers what arrives
 * until it holds {@link #MAX_BUFFERED_BYTES}, then stops crediting the peer (its writes wait) until
 * {@link #read()} drains it. A stream opened with a {@link ProtocolHandler} gives {@link #read()}
 * only what that handler's pipeline passes on.
 */
public interface PeerStream {
    /** Bytes buffered before the stream stops reading from the peer. */
    int MAX_BUFFERED_BYTES = 1 << 20;

    /** Who is on the other end. */
    PeerId remotePeer();

    /** The protocol negotiated on this stream. */
    String protocol();

    /** Writes {@code bytes} (copied); completes once they were handed to the muxer, or fails if the stream is closed. */
    CompletableFuture<Void> write(byte[] bytes);

    /**
     * The next bytes the peer sent, as they arrived; empty once the peer has closed its side and
     * everything was read. Fails if the stream was reset or failed. One read at a time: a read
     * while another is pending fails with {@link IllegalStateException}.
     */
    CompletableFuture<Optional<byte[]>> read();

    /** Half-closes: the peer reads the end of the stream after what was written; it may still write. */
    CompletableFuture<Void> closeWrite();

    /** Closes both directions; completes when closed. */
    CompletableFuture<Void> close();

    /** Aborts both directions at once, dropping pending data; the peer sees a reset. */
    void reset();

    /** Completes when the stream is closed, by either side, a reset or the connection's end. */
    CompletableFuture<Void> closed();

    /**
     * Everything the peer sends until it closes its side, at most {@code maxBytes}: past that the
     * stream is reset and the future fails with {@link IllegalStateException}.
     */
    default CompletableFuture<byte[]> readAll(int maxBytes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        CompletableFuture<byte[]> all = new CompletableFuture<>();
        readInto(out, maxBytes, all);
        return all;
    }

    private void readInto(java.io.ByteArrayOutputStream out, int maxBytes, CompletableFuture<byte[]> all) {
        read().whenComplete((chunk, e) -> {
            if (e != null) {
                all.completeExceptionally(e);
            } else if (chunk.isEmpty()) {
                all.complete(out.toByteArray());
            } else if (out.size() + chunk.get().length > maxBytes) {
                reset();
                all.completeExceptionally(new IllegalStateException(this + " sent more than " + maxBytes + " bytes"));
            } else {
                out.writeBytes(chunk.get());
                readInto(out, maxBytes, all);
            }
        });
    }
}
