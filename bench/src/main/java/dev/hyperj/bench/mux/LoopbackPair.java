package dev.hyperj.bench.mux;

import dev.hyperj.p2p.mux.MuxerConfig;
import dev.hyperj.p2p.mux.MuxerProtocol;
import dev.hyperj.p2p.mux.StreamMuxer;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
import java.util.function.Supplier;

/**
 * A loopback TCP connection between a listener and a dialer on separate event loops, either raw
 * (the given handlers directly on the sockets) or with a stream muxer on each side.
 */
final class LoopbackPair implements AutoCloseable {
    final EventLoopGroup serverGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final EventLoopGroup clientGroup = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    final Channel listener;
    final Channel client;
    final Channel server;
    final StreamMuxer clientMuxer;
    final StreamMuxer serverMuxer;

    /** Raw TCP: {@code serverHandler} and {@code clientHandler} sit directly on the sockets. */
    static LoopbackPair raw(Supplier<ChannelHandler> serverHandler, ChannelHandler clientHandler) throws Exception {
        return new LoopbackPair(null, null, serverHandler, clientHandler, null);
    }

    /** Muxed: inbound streams on the server get {@code serverStreamInit}. */
    static LoopbackPair muxed(MuxerProtocol protocol, Consumer<Channel> serverStreamInit) throws Exception {
        return new LoopbackPair(
                protocol,
                serverStreamInit,
                null,
                null,
                MuxerConfig.defaults().withKeepAliveInterval(java.time.Duration.ZERO));
    }

    private LoopbackPair(
            MuxerProtocol protocol,
            Consumer<Channel> serverStreamInit,
            Supplier<ChannelHandler> rawServer,
            ChannelHandler rawClient,
            MuxerConfig config)
            throws Exception {
        CompletableFuture<Channel> accepted = new CompletableFuture<>();
        CompletableFuture<StreamMuxer> serverSide = new CompletableFuture<>();
        listener = new ServerBootstrap()
                .group(serverGroup)
                .channel(NioServerSocketChannel.class)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (protocol == null) {
                            ch.pipeline().addLast(rawServer.get());
                            serverSide.complete(null);
                        } else {
                            StreamMuxer m = StreamMuxer.create(protocol, false, config, serverStreamInit);
                            ch.pipeline().addLast(m);
                            serverSide.complete(m);
                        }
                        accepted.complete(ch);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
        StreamMuxer cm = protocol == null ? null : StreamMuxer.create(protocol, true, config, ch -> ch.close());
        client = new Bootstrap()
                .group(clientGroup)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(protocol == null ? rawClient : cm)
                .connect(listener.localAddress())
                .sync()
                .channel();
        clientMuxer = cm;
        server = accepted.get(10, TimeUnit.SECONDS);
        serverMuxer = serverSide.get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        client.close().await(5, TimeUnit.SECONDS);
        listener.close().await(5, TimeUnit.SECONDS);
        clientGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
        serverGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
    }
}
