package dev.hyperj.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * DHT nodes on real threads and real loopback TCP: each request is one TCP connection standing in
 * for a libp2p stream, carrying {@link KadStreams}' framing. Authentication is Noise's job in the
 * real stack; here a one-byte-length peer id preamble names the requester.
 */
class TcpLoopbackDhtTest {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** A DhtNetwork over plain TCP: one connection per request. */
    final class TcpNetwork implements DhtNetwork, AutoCloseable {
        final PeerId self;
        final KadCodec codec = new KadCodec();
        final Channel server;
        volatile InboundHandler handler;

        TcpNetwork(PeerId self) throws InterruptedException {
            this.self = self;
            server = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new Preamble());
                        }
                    })
                    .bind("127.0.0.1", 0)
                    .sync()
                    .channel();
        }

        /** Reads the requester's peer id, then hands the connection to the DHT's stream handlers. */
        final class Preamble extends ByteToMessageDecoder {
            @Override
            protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
                if (in.readableBytes() < 1 || in.readableBytes() < 1 + in.getUnsignedByte(in.readerIndex())) {
                    return;
                }
                byte[] id = new byte[in.readUnsignedByte()];
                in.readBytes(id);
                InboundHandler h = handler;
                if (h == null) {
                    ctx.close(); // client mode: protocol not supported
                    return;
                }
                InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
                KadStreams.serve(
                        ctx.channel(),
                        new PeerInfo(PeerId.fromBytes(id), List.of(Multiaddr.tcp(remote))),
                        h,
                        codec,
                        Duration.ofSeconds(5));
                ctx.pipeline().remove(this); // leftover bytes flow to the DHT frame decoder
            }
        }

        @Override
        public CompletableFuture<KadMessage> request(PeerInfo peer, KadMessage request) {
            return open(peer).thenCompose(ch -> KadStreams.request(ch, request, codec, true, Duration.ofSeconds(5)));
        }

        @Override
        public CompletableFuture<Void> send(PeerInfo peer, KadMessage message) {
            return open(peer)
                    .thenCompose(ch -> KadStreams.request(ch, message, codec, false, Duration.ofSeconds(5)))
                    .thenApply(m -> null);
        }

        private CompletableFuture<Channel> open(PeerInfo peer) {
            CompletableFuture<Channel> out = new CompletableFuture<>();
            InetSocketAddress addr = peer.addrs().stream()
                    .flatMap(a -> a.tcpSocketAddress().stream())
                    .findFirst()
                    .orElse(null);
            if (addr == null) {
                return CompletableFuture.failedFuture(new IllegalArgumentException("no TCP address for " + peer.id()));
            }
            new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2000)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {}
                    })
                    .connect(addr)
                    .addListener(f -> {
                        if (!f.isSuccess()) {
                            out.completeExceptionally(f.cause());
                            return;
                        }
                        Channel ch = ((io.netty.channel.ChannelFuture) f).channel();
                        byte[] id = self.bytes();
                        ByteBuf pre = Unpooled.buffer(1 + id.length)
                                .writeByte(id.length)
                                .writeBytes(id);
                        ch.writeAndFlush(pre);
                        out.complete(ch);
                    });
            return out;
        }

        @Override
        public void serve(InboundHandler h) {
            handler = h;
        }

        @Override
        public List<Multiaddr> listenAddresses() {
            return List.of(Multiaddr.tcp((InetSocketAddress) server.localAddress()));
        }

        PeerInfo info() {
            return new PeerInfo(self, listenAddresses());
        }

        @Override
        public void close() {
            server.close().syncUninterruptibly();
        }
    }

    private record Node(KadDht dht, TcpNetwork net) {}

    private Node node(long seed) throws Exception {
        PrivateKey key = TestPeers.key(seed);
        PeerId id = PeerId.fromPublicKey(key.publicKey());
        TcpNetwork net = new TcpNetwork(id);
        KadDht dht = KadDht.builder(id, net)
                .config(KadConfig.builder()
                        .requestTimeout(Duration.ofSeconds(3))
                        .build())
                .build();
        toClose.add(dht);
        toClose.add(net);
        dht.start().get(5, TimeUnit.SECONDS);
        return new Node(dht, net);
    }

    @Test
    void nodesOnRealSocketsFindEachOtherAndShareValues() throws Exception {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            nodes.add(node(100 + i));
        }
        for (int i = 1; i < nodes.size(); i++) {
            int size = nodes.get(i)
                    .dht()
                    .bootstrap(List.of(nodes.get(0).net().info()))
                    .get(20, TimeUnit.SECONDS);
            assertThat(size).isPositive();
        }
        // the first node learns the others from their inbound requests only after verifying them
        // (asynchronously); bootstrapping it from them makes that deterministic for the test
        List<PeerInfo> others =
                nodes.subList(1, nodes.size()).stream().map(n -> n.net().info()).toList();
        assertThat(nodes.get(0).dht().bootstrap(others).get(20, TimeUnit.SECONDS))
                .isEqualTo(7);
        for (Node a : nodes) {
            for (Node b : nodes) {
                if (a != b) {
                    LookupResult r = a.dht().findPeer(b.dht().peerId()).get(20, TimeUnit.SECONDS);
                    assertThat(r.peers()).singleElement().isEqualTo(b.net().info());
                }
            }
        }
        PrivateKey k = TestPeers.key(555);
        byte[] key = Validators.publicKeyRecordKey(PeerId.fromPublicKey(k.publicKey()));
        PutResult put =
                nodes.get(3).dht().putValue(key, k.publicKey().marshal()).get(20, TimeUnit.SECONDS);
        assertThat(put.acks()).isEqualTo(put.targets()).isEqualTo(7);
        ValueResult got = nodes.get(6).dht().getValue(key).get(20, TimeUnit.SECONDS);
        assertThat(got.value()).isEqualTo(k.publicKey().marshal());

        byte[] cid = "content".getBytes();
        assertThat(nodes.get(2).dht().provide(cid).get(20, TimeUnit.SECONDS)).isEqualTo(7);
        List<PeerInfo> providers = List.of();
        for (int attempt = 0; attempt < 50 && providers.isEmpty(); attempt++) {
            // ADD_PROVIDER has no answer: poll until the announcements have landed
            providers = nodes.get(5).dht().findProviders(cid, 1).get(20, TimeUnit.SECONDS);
        }
        assertThat(providers).containsExactly(nodes.get(2).net().info());
    }

    @Test
    void badFramesOnASocketCloseItAndTheNodeKeepsServing() throws Exception {
        Node victim = node(200);
        Node peer = node(201);
        InetSocketAddress addr =
                victim.net().listenAddresses().get(0).tcpSocketAddress().orElseThrow();
        byte[] id = peer.dht().peerId().bytes();
        for (byte[] evil : List.of(
                KadCodec.varint(5 << 20),
                new byte[] {0x05, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f})) {
            try (Socket s = new Socket(addr.getAddress(), addr.getPort())) {
                s.setSoTimeout(5000);
                OutputStream o = s.getOutputStream();
                o.write(id.length);
                o.write(id);
                o.write(evil);
                o.flush();
                InputStream in = s.getInputStream();
                assertThat(in.read()).as("closed by the node, no answer").isEqualTo(-1);
            }
        }
        LookupResult r = peer.dht()
                .bootstrap(List.of(victim.net().info()))
                .thenCompose(n -> peer.dht().findPeer(victim.dht().peerId()))
                .get(20, TimeUnit.SECONDS);
        assertThat(r.peers()).hasSize(1);
    }
}
