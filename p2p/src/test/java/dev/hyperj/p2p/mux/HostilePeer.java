package dev.hyperj.p2p.mux;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A muxer listening on loopback with its own counting allocator, and a raw socket client that can
 * send it anything. Used to show hostile bytes close the connection with a reason and no buffer
 * stays allocated.
 */
final class HostilePeer implements AutoCloseable {
    final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    /** Unpooled and instrumented: its metric counts exactly the bytes of live buffers. */
    final UnpooledByteBufAllocator allocator = new UnpooledByteBufAllocator(true, false);

    final Channel listener;
    final CompletableFuture<Channel> conn = new CompletableFuture<>();
    final CompletableFuture<MuxSession> muxer = new CompletableFuture<>();

    HostilePeer(MuxerProtocol protocol, MuxerConfig config) throws InterruptedException {
        listener = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        MuxSession m = (MuxSession) StreamMuxer.create(
                                protocol, false, config, s -> s.pipeline().addLast(new TestHandlers.Echo()));
                        ch.pipeline().addLast(m);
                        muxer.complete(m);
                        conn.complete(ch);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    Socket dial() throws IOException {
        InetSocketAddress a = (InetSocketAddress) listener.localAddress();
        Socket s = new Socket(a.getAddress(), a.getPort());
        s.setSoTimeout(20_000);
        return s;
    }

    /** Reads what the muxer sent until it closed the connection. */
    static byte[] readUntilClosed(Socket s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = s.getInputStream();
        byte[] buf = new byte[65536];
        try {
            int n;
            while ((n = in.read(buf)) >= 0) out.write(buf, 0, n);
        } catch (java.net.SocketException reset) {
            // the muxer may close with unread input pending: an RST ends our read
        }
        return out.toByteArray();
    }

    /** Waits until the muxer's connection is closed and every buffer it allocated is released. */
    void awaitClosedAndReleased() throws Exception {
        Channel c = conn.get(10, TimeUnit.SECONDS);
        if (!c.closeFuture().await(20, TimeUnit.SECONDS)) throw new AssertionError("connection not closed");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            // Barrier through the event loop: tasks queued by the close have run.
            c.eventLoop().submit(() -> {}).get(10, TimeUnit.SECONDS);
            long used = usedMemory();
            if (used == 0) return;
            if (System.nanoTime() > deadline) throw new AssertionError(used + " bytes of buffers still allocated");
        }
    }

    long usedMemory() {
        var m = ((ByteBufAllocatorMetricProvider) allocator).metric();
        return m.usedDirectMemory() + m.usedHeapMemory();
    }

    @Override
    public void close() throws Exception {
        listener.close().await(5, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
