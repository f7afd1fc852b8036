package dev.hyperj.p2p.mux;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Two muxers over a real loopback TCP connection: a listening responder and a dialing initiator. */
final class MuxPeers implements AutoCloseable {
    final EventLoopGroup group;
    final Channel serverListener;
    final Channel serverConn;
    final Channel clientConn;
    final MuxSession server;
    final MuxSession client;

    static final class Builder {
        MuxerProtocol protocol = MuxerProtocol.YAMUX;
        MuxerConfig serverConfig = MuxerConfig.defaults();
        MuxerConfig clientConfig = MuxerConfig.defaults();
        Consumer<Channel> serverInit = ch -> ch.pipeline().addLast(new TestHandlers.Echo());
        Consumer<Channel> clientInit = ch -> ch.pipeline().addLast(new TestHandlers.Echo());
        Consumer<ChannelPipeline> serverPipelineBeforeMuxer = p -> {};
        Consumer<ChannelPipeline> clientPipelineBeforeMuxer = p -> {};
        ByteBufAllocator allocator = ByteBufAllocator.DEFAULT;
        int threads = 2;

        Builder protocol(MuxerProtocol p) {
            protocol = p;
            return this;
        }

        Builder serverConfig(MuxerConfig c) {
            serverConfig = c;
            return this;
        }

        Builder clientConfig(MuxerConfig c) {
            clientConfig = c;
            return this;
        }

        Builder serverInit(Consumer<Channel> c) {
            serverInit = c;
            return this;
        }

        Builder clientInit(Consumer<Channel> c) {
            clientInit = c;
            return this;
        }

        Builder serverBeforeMuxer(Consumer<ChannelPipeline> c) {
            serverPipelineBeforeMuxer = c;
            return this;
        }

        Builder clientBeforeMuxer(Consumer<ChannelPipeline> c) {
            clientPipelineBeforeMuxer = c;
            return this;
        }

        Builder allocator(ByteBufAllocator a) {
            allocator = a;
            return this;
        }

        MuxPeers connect() throws Exception {
            return new MuxPeers(this);
        }
    }

    static Builder builder() {
        return new Builder();
    }

    static MuxPeers connect(MuxerProtocol p) throws Exception {
        return builder().protocol(p).connect();
    }

    private MuxPeers(Builder b) throws Exception {
        group = new MultiThreadIoEventLoopGroup(b.threads, NioIoHandler.newFactory());
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        CompletableFuture<MuxSession> serverMuxer = new CompletableFuture<>();
        try {
            serverListener = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childOption(ChannelOption.ALLOCATOR, b.allocator)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            b.serverPipelineBeforeMuxer.accept(ch.pipeline());
                            MuxSession m =
                                    (MuxSession) StreamMuxer.create(b.protocol, false, b.serverConfig, b.serverInit);
                            ch.pipeline().addLast("muxer", m);
                            serverMuxer.complete(m);
                            accepted.complete(ch);
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
            MuxSession clientMuxer = (MuxSession) StreamMuxer.create(b.protocol, true, b.clientConfig, b.clientInit);
            clientConn = new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.ALLOCATOR, b.allocator)
                    .option(ChannelOption.TCP_NODELAY, true)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            b.clientPipelineBeforeMuxer.accept(ch.pipeline());
                            ch.pipeline().addLast("muxer", clientMuxer);
                        }
                    })
                    .connect(serverListener.localAddress())
                    .sync()
                    .channel();
            client = clientMuxer;
            serverConn = accepted.get(10, TimeUnit.SECONDS);
            server = serverMuxer.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Opens a client stream and waits for it. */
    Channel openClientStream() throws Exception {
        return client.openStream().get(10, TimeUnit.SECONDS);
    }

    /**
     * Opens a client stream with handlers installed on the event loop as it opens (no event missed).
     * The open and the listener run in one task on the connection's event loop: a listener added
     * from this thread to an already completed promise would only run as a later task, after any
     * frames (e.g. the remote's immediate reset) read in between had fired into a bare pipeline.
     */
    Channel openClientStream(io.netty.channel.ChannelHandler... handlers) throws Exception {
        CompletableFuture<Channel> ready = new CompletableFuture<>();
        clientConn
                .eventLoop()
                .execute(() -> client.openStream().addListener(f -> {
                    if (f.isSuccess()) {
                        Channel ch = (Channel) f.getNow();
                        ch.pipeline().addLast(handlers);
                        ready.complete(ch);
                    } else {
                        ready.completeExceptionally(f.cause());
                    }
                }));
        return ready.get(10, TimeUnit.SECONDS);
    }

    Channel openServerStream() throws Exception {
        return server.openStream().get(10, TimeUnit.SECONDS);
    }

    /** Runs a task on the connection's event loop and returns its result. */
    <T> T onLoop(Channel conn, java.util.concurrent.Callable<T> task) throws Exception {
        return conn.eventLoop().submit(task).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        try {
            clientConn.close().await(5, TimeUnit.SECONDS);
            serverListener.close().await(5, TimeUnit.SECONDS);
        } finally {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        }
    }
}
