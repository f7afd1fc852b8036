package dev.hyperj.p2p.protocol;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Plain Netty TCP channels on 127.0.0.1 for the protocol handler tests (ping, identify,
 * request/response): a server whose accepted channels the test sets up, and clients dialling it.
 * Close it after each test.
 */
public final class Loopback implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

    /** Listens on a free loopback port; {@code init} sets up each accepted channel. */
    public Channel serve(Consumer<Channel> init) throws InterruptedException {
        return new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        init.accept(ch);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
    }

    /** A connected client with an empty pipeline (the test adds what it needs). */
    public Channel dial(Channel server) throws InterruptedException {
        return dial(server, new ChannelInboundHandlerAdapter());
    }

    /** A connected client whose pipeline starts with {@code handler}. */
    public Channel dial(Channel server, ChannelHandler handler) throws InterruptedException {
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(handler)
                .connect(server.localAddress())
                .sync()
                .channel();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
