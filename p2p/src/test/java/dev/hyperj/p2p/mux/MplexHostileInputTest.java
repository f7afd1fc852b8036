package dev.hyperj.p2p.mux;

import static dev.hyperj.p2p.mux.MplexSession.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hostile mplex input from a raw socket: closed with a logged reason, every buffer released. */
@Timeout(120)
class MplexHostileInputTest {

    @BeforeAll
    static void paranoid() {
        LeakWatch.start();
    }

    @AfterAll
    static void noLeaks() throws Exception {
        try {
            assertThat(LeakWatch.collectLeaks())
                    .as("leaks reported by Netty's detector")
                    .isEmpty();
        } finally {
            LeakWatch.stop();
        }
    }

    static byte[] frame(long id, int flag, long length, byte[] payload) {
        ByteBuf b = Unpooled.buffer();
        writeVarint(b, (id << 3) | flag);
        writeVarint(b, length);
        b.writeBytes(payload);
        byte[] a = new byte[b.readableBytes()];
        b.readBytes(a);
        return a;
    }

    static byte[] frame(long id, int flag, byte[] payload) {
        return frame(id, flag, payload.length, payload);
    }

    private MuxSession run(MuxerConfig config, byte[] input, boolean closeOutput) throws Exception {
        try (HostilePeer peer = new HostilePeer(MuxerProtocol.MPLEX, config);
                Socket s = peer.dial()) {
            OutputStream out = s.getOutputStream();
            try {
                out.write(input);
                out.flush();
                if (closeOutput) s.shutdownOutput();
            } catch (java.net.SocketException closedWhileWriting) {
                // the muxer may close before reading all of it
            }
            HostilePeer.readUntilClosed(s);
            peer.awaitClosedAndReleased();
            return peer.muxer.get();
        }
    }

    private void expectClose(byte[] input, String reason) throws Exception {
        expectClose(MuxerConfig.defaults(), input, reason);
    }

    private void expectClose(MuxerConfig config, byte[] input, String reason) throws Exception {
        assertThat(run(config, input, false).failure())
                .isInstanceOf(MuxerException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void frameAboveOneMebibyte() throws Exception {
        expectClose(frame(0, MESSAGE_INITIATOR, 1024 * 1024 + 1, new byte[100]), "exceeds the maximum of 1048576");
    }

    @Test
    void hugeLengthVarintIsRejectedBeforeItEnds() throws Exception {
        expectClose(
                new byte[] {0x02, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F},
                "exceeds the maximum");
    }

    @Test
    void overlongVarint() throws Exception {
        byte[] b = new byte[12];
        java.util.Arrays.fill(b, (byte) 0x80);
        expectClose(b, "varint longer than 9 bytes");
    }

    @Test
    void unknownFlag() throws Exception {
        expectClose(frame(3, 7, new byte[0]), "unknown mplex flag 7");
    }

    @Test
    void duplicateNewStream() throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(frame(4, NEW_STREAM, "4".getBytes()));
        in.writeBytes(frame(4, NEW_STREAM, "4".getBytes()));
        expectClose(in.toByteArray(), "NewStream for open stream 4");
    }

    @Test
    void floodOfNewStreamsBeyondTheLimit() throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        for (int i = 0; i < 3000; i++) in.writeBytes(frame(i, NEW_STREAM, new byte[0]));
        expectClose(MuxerConfig.defaults().withMaxStreams(8), in.toByteArray(), "beyond the limit");
    }

    @Test
    void truncatedFrameThenEofClosesQuietly() throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(frame(1, NEW_STREAM, new byte[0]));
        in.writeBytes(frame(1, MESSAGE_INITIATOR, 5000, new byte[1200]));
        assertThat(run(MuxerConfig.defaults(), in.toByteArray(), true).failure())
                .isNull();
    }

    @Test
    void messagesForUnknownStreamsAreDroppedNotFatal() throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(frame(42, MESSAGE_INITIATOR, new byte[300]));
        in.writeBytes(frame(43, CLOSE_INITIATOR, new byte[0]));
        in.writeBytes(frame(44, RESET_RECEIVER, new byte[0]));
        assertThat(run(MuxerConfig.defaults(), in.toByteArray(), true).failure())
                .isNull();
    }
}
