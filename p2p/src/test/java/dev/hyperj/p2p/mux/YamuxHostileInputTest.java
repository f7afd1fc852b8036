package dev.hyperj.p2p.mux;

import static dev.hyperj.p2p.mux.YamuxSession.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile Yamux input from a raw socket: each violation closes the connection with a logged reason
 * and a GoAway(protocol error), and every buffer the muxer allocated is released (counted by an
 * instrumented allocator, and by Netty's leak detector at paranoid level).
 */
@Timeout(120)
class YamuxHostileInputTest {

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

    static byte[] frame(int version, int type, int flags, long id, long length) {
        return ByteBuffer.allocate(HEADER_SIZE)
                .put((byte) version)
                .put((byte) type)
                .putShort((short) flags)
                .putInt((int) id)
                .putInt((int) length)
                .array();
    }

    static byte[] frame(int type, int flags, long id, long length) {
        return frame(VERSION, type, flags, id, length);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }

    /** GoAway codes found in what the muxer sent. */
    static java.util.List<Long> goAways(byte[] sent) {
        java.util.List<Long> codes = new java.util.ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(sent);
        while (b.remaining() >= HEADER_SIZE) {
            b.get();
            int type = b.get();
            b.getShort();
            b.getInt();
            long length = b.getInt() & 0xFFFF_FFFFL;
            if (type == TYPE_GO_AWAY) codes.add(length);
            if (type == TYPE_DATA) b.position((int) Math.min(b.limit(), b.position() + length));
        }
        return codes;
    }

    private void expectProtocolError(MuxerConfig config, byte[] input, String reason) throws Exception {
        expectProtocolError(config, input, reason, true);
    }

    private void expectProtocolError(MuxerConfig config, byte[] input, String reason, boolean goAwayReadable)
            throws Exception {
        try (HostilePeer peer = new HostilePeer(MuxerProtocol.YAMUX, config);
                Socket s = peer.dial()) {
            OutputStream out = s.getOutputStream();
            try {
                out.write(input);
                out.flush();
            } catch (java.net.SocketException closedWhileWriting) {
                // the muxer may close before it read all of a large hostile input
            }
            byte[] reply = HostilePeer.readUntilClosed(s);
            peer.awaitClosedAndReleased();
            assertThat(peer.muxer.get().failure())
                    .isInstanceOf(MuxerException.class)
                    .hasMessageContaining(reason);
            if (goAwayReadable) assertThat(goAways(reply)).containsExactly((long) GO_AWAY_PROTOCOL_ERROR);
        }
    }

    private void expectProtocolError(byte[] input, String reason) throws Exception {
        expectProtocolError(MuxerConfig.defaults(), input, reason);
    }

    @Test
    void badVersion() throws Exception {
        expectProtocolError(frame(1, TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0), "version 1");
    }

    @Test
    void unknownType() throws Exception {
        expectProtocolError(frame(7, 0, 0, 0), "unknown yamux frame type 7");
    }

    @Test
    void dataBeyondTheWindowInOneFrame() throws Exception {
        expectProtocolError(
                concat(frame(TYPE_DATA, FLAG_SYN, 1, 256 * 1024 + 1), new byte[1000]), "exceeds the window");
    }

    @Test
    void dataBeyondTheWindowOverSeveralFrames() throws Exception {
        // The Echo handler consumes, but its window updates cannot have reached us before we send:
        // we never read, and 2 x 200 KiB overruns 256 KiB unless the muxer granted more. The muxer
        // may have; so send far more than any update could cover: 64 MiB without reading.
        byte[] half = concat(frame(TYPE_DATA, 0, 1, 200 * 1024), new byte[200 * 1024]);
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0));
        // The echo never gets its replies read by us, so its writes stall and it stops reading
        // once its connection is unwritable: credit stops, and the overrun is detected.
        for (int i = 0; i < 320; i++) in.writeBytes(half);
        // The muxer closes with most of our input unread, so the kernel answers with a TCP reset
        // that may discard its GoAway before we read it: only the logged reason is checked.
        expectProtocolError(MuxerConfig.defaults(), in.toByteArray(), "exceeds the window", false);
    }

    @Test
    void fourGibibyteLength() throws Exception {
        expectProtocolError(frame(TYPE_DATA, FLAG_SYN, 1, 0xFFFF_FFFFL), "4294967295 bytes exceeds the window");
    }

    @Test
    void frameForAStreamThatNeverExisted() throws Exception {
        expectProtocolError(frame(TYPE_WINDOW_UPDATE, 0, 5, 100), "unknown stream 5");
    }

    @Test
    void synWithTheResponderParity() throws Exception {
        expectProtocolError(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 2, 0), "parity");
    }

    @Test
    void synReusingAnId() throws Exception {
        expectProtocolError(
                concat(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 7, 0), frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 3, 0)),
                "reuses stream id 3");
    }

    @Test
    void pingOnAStream() throws Exception {
        expectProtocolError(frame(TYPE_PING, FLAG_SYN, 1, 0), "ping on stream 1");
    }

    @Test
    void windowOverflow() throws Exception {
        expectProtocolError(
                concat(
                        frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 1, 0xFFFF_FFFFL),
                        frame(TYPE_WINDOW_UPDATE, 0, 1, 0xFFFF_FFFFL)),
                "overflows");
    }

    @Test
    void floodOfSynsBeyondTheLimit() throws Exception {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        for (int i = 0; i < 5000; i++) in.writeBytes(frame(TYPE_WINDOW_UPDATE, FLAG_SYN, 2L * i + 1, 0));
        expectProtocolError(MuxerConfig.defaults().withMaxStreams(16), in.toByteArray(), "beyond the limit");
    }

    @Test
    void truncatedHeaderThenEofClosesQuietly() throws Exception {
        try (HostilePeer peer = new HostilePeer(MuxerProtocol.YAMUX, MuxerConfig.defaults());
                Socket s = peer.dial()) {
            OutputStream out = s.getOutputStream();
            out.write(concat(frame(TYPE_DATA, FLAG_SYN, 1, 3), new byte[] {1, 2, 3}, new byte[] {0, 0, 0, 0, 0}));
            out.flush();
            s.shutdownOutput();
            HostilePeer.readUntilClosed(s);
            peer.awaitClosedAndReleased();
            assertThat(peer.muxer.get().failure()).isNull();
        }
    }

    @Test
    void truncatedPayloadThenEofReleasesTheStream() throws Exception {
        try (HostilePeer peer = new HostilePeer(MuxerProtocol.YAMUX, MuxerConfig.defaults());
                Socket s = peer.dial()) {
            OutputStream out = s.getOutputStream();
            out.write(concat(frame(TYPE_DATA, FLAG_SYN, 1, 100_000), new byte[50_000]));
            out.flush();
            s.shutdownOutput();
            HostilePeer.readUntilClosed(s);
            peer.awaitClosedAndReleased();
        }
    }

    @Test
    void garbageClosesWithAReason() throws Exception {
        byte[] garbage = new byte[4096];
        new java.util.Random(1).nextBytes(garbage);
        garbage[0] = 9; // not version 0
        expectProtocolError(garbage, "version");
    }
}
