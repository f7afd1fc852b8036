package dev.hyperj.bench.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The ceiling: one TCP connection on loopback, blocking sockets, 64 KiB writes, no framing or crypto. */
final class RawTcp {
    private RawTcp() {}

    /** Sends {@code bytes} and returns the seconds until the receiver confirmed it counted them all. */
    static double transfer(long bytes) throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            CompletableFuture<Long> received = CompletableFuture.supplyAsync(
                    () -> {
                        try (SocketChannel s = server.accept()) {
                            ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
                            long n = 0;
                            for (int r; (r = s.read(buf.clear())) >= 0; ) {
                                n += r;
                            }
                            s.write(ByteBuffer.allocate(8).putLong(0, n));
                            return n;
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    },
                    r -> Thread.ofPlatform().daemon().start(r));
            try (SocketChannel c = SocketChannel.open()) {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.connect(server.getLocalAddress());
                ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
                long start = System.nanoTime();
                long left = bytes;
                while (left > 0) {
                    chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                    left -= c.write(chunk);
                }
                c.shutdownOutput();
                ByteBuffer ack = ByteBuffer.allocate(8);
                while (ack.hasRemaining() && c.read(ack) >= 0) {
                    // wait for the count
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                long counted = received.get(60, TimeUnit.SECONDS);
                if (counted != bytes || ack.getLong(0) != bytes) {
                    throw new IllegalStateException("raw TCP: sent " + bytes + ", receiver counted " + counted);
                }
                return seconds;
            }
        }
    }
}
