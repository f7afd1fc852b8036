package dev.hyperj.p2p.host;

import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.mux.MuxedStream;
import dev.hyperj.p2p.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Hosts on loopback and an echo protocol for the host tests. */
final class TestHosts implements AutoCloseable {
    static final String ECHO = "/test/echo/1.0.0";
    static final Multiaddr LOOPBACK = Multiaddr.parse("/ip4/127.0.0.1/tcp/0");

    private final List<Host> hosts = new ArrayList<>();

    static Host.Builder builder() {
        return Host.builder().listen(LOOPBACK).threads(2);
    }

    Host start(Host.Builder b) throws Exception {
        Host h = b.build();
        hosts.add(h);
        h.start().get(10, TimeUnit.SECONDS);
        return h;
    }

    Host startEchoServer() throws Exception {
        return start(builder().protocol(ECHO, TestHosts::installEcho));
    }

    static void installEcho(Channel stream, StreamInfo info) {
        stream.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush(msg);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                    ((MuxedStream) ctx.channel()).closeWrite();
                }
            }
        });
    }

    static Multiaddr addr(Host h) {
        return h.listenAddresses().get(0);
    }

    /** Collects what a stream receives until the remote half-closes or the stream closes. */
    static final class Collector extends ChannelInboundHandlerAdapter implements ProtocolHandler {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CompletableFuture<byte[]> done = new CompletableFuture<>();
        final CompletableFuture<StreamInfo> info = new CompletableFuture<>();

        @Override
        public void initStream(Channel stream, StreamInfo streamInfo) {
            info.complete(streamInfo);
            stream.pipeline().addLast(this);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            byte[] chunk = new byte[b.readableBytes()];
            b.readBytes(chunk);
            b.release();
            synchronized (bytes) {
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
                finish();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            finish();
        }

        private void finish() {
            synchronized (bytes) {
                done.complete(bytes.toByteArray());
            }
        }
    }

    /** Sends {@code payload} on a new echo stream, half-closes, and returns what came back. */
    static byte[] echo(Host from, PeerId to, byte[] payload) throws Exception {
        PeerStream stream = from.newStream(to, ECHO).get(10, TimeUnit.SECONDS);
        stream.write(payload);
        stream.closeWrite();
        return stream.readAll(payload.length).get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        for (Host h : hosts) {
            h.close();
        }
    }
}
