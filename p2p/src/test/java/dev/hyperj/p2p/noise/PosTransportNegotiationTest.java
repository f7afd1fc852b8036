package dev.hyperj.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hypertensor's subnet nodes name their security protocol {@code /pos-transport/1.0.0} (Noise under
 * another id). A dialer that offers only that id gets it from our host and completes a Noise
 * handshake with the host's identity over it.
 */
@Timeout(60)
class PosTransportNegotiationTest {
    @Test
    void aDialerOfferingOnlyPosTransportIsAcceptedAndSecuredWithNoise() throws Exception {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        Host host = Host.builder()
                .identity(Keys.generate(KeyType.ED25519))
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .threads(1)
                .build();
        try {
            host.start().get(10, TimeUnit.SECONDS);
            PeerId hostId = host.peerId();
            PrivateKey dialerKey = Keys.generate(KeyType.ED25519);
            Probe probe = new Probe();
            new Bootstrap()
                    .group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline()
                                    .addLast(new MultistreamForTest(
                                            true,
                                            Noise.POS_PROTOCOL_ID,
                                            () -> Noise.handler(dialerKey, true, hostId, Duration.ofSeconds(20))))
                                    .addLast(probe);
                        }
                    })
                    .connect(address(host))
                    .sync();
            // the host agreed to /pos-transport/1.0.0 (the helper fails on anything else) and ran Noise
            // over it: the handshake proves the host's identity
            SecureSession session = probe.session.get(30, TimeUnit.SECONDS);
            assertThat(session.remotePeer()).isEqualTo(hostId);
            assertThat(session.initiator()).isTrue();
            assertThat(probe.error).isNotDone();
            probe.channel.close().sync();
        } finally {
            host.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private static InetSocketAddress address(Host host) {
        String[] parts = host.listenAddresses().get(0).toString().split("/");
        return new InetSocketAddress(parts[2], Integer.parseInt(parts[4]));
    }
}
