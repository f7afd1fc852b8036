package dev.hyperj.p2p.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host restarted with its key and its saved peer store finds its peers again. */
class PeerStoreFileTest {
    final TestHosts hosts = new TestHosts();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        hosts.close();
    }

    @Test
    void aRestartedHostReachesItsPeersFromTheSavedStore() throws Exception {
        Host server = hosts.startEchoServer();
        PrivateKey key = Keys.generate(KeyType.ED25519);
        Path file = dir.resolve("peers");

        Host before = hosts.start(TestHosts.builder().identity(key));
        before.connect(TestHosts.addr(server)).get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(TestHosts.echo(before, server.peerId(), new byte[] {7})).containsExactly(7);
        PeerStoreFile.save(before.peerStore(), file);
        before.close();

        Host after = hosts.start(TestHosts.builder().identity(key));
        assertThat(after.peerId()).isEqualTo(before.peerId());
        assertThat(PeerStoreFile.load(file, after.peerStore(), Duration.ofHours(1)))
                .containsExactly(server.peerId());
        // no connect(): the stream dials the address the previous run learnt
        assertThat(TestHosts.echo(after, server.peerId(), new byte[] {8})).containsExactly(8);
    }

    @Test
    void aDamagedFileLoadsWhatItCanAndNeverFails() throws Exception {
        PeerStore store = new PeerStore();
        Path file = dir.resolve("peers");
        String good = TestHosts.addr(hosts.startEchoServer()).peerId().orElseThrow() + " /ip4/10.0.0.2/tcp/4001";
        Files.write(
                file,
                ("not a peer /ip4/1.2.3.4/tcp/1\n" + good + "\n12D3KooWonly\n" + "x".repeat(10_000) + "\n")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(PeerStoreFile.load(file, store, Duration.ofHours(1))).hasSize(1);
        Files.write(file, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2, '\n'});
        assertThat(PeerStoreFile.load(file, new PeerStore(), Duration.ofHours(1)))
                .isEmpty();
        assertThat(PeerStoreFile.load(dir.resolve("none"), store, Duration.ofHours(1)))
                .isEmpty();
    }

    /** Catches: protocol lists dropped on save, or a protocol id read back as an address (or the reverse). */
    @Test
    void protocolListsSurviveARestartAndIdsThatWouldBreakTheLineAreLeftOut() throws Exception {
        PeerStore before = new PeerStore();
        Path file = dir.resolve("peers");
        dev.hyperj.p2p.peer.PeerId peer = dev.hyperj.p2p.peer.PeerId.fromPublicKey(
                Keys.generate(KeyType.ED25519).publicKey());
        before.addAddresses(
                peer, Duration.ofHours(1), dev.hyperj.p2p.multiformats.Multiaddr.parse("/ip4/10.0.0.2/tcp/4001"));
        before.setProtocols(
                peer, java.util.List.of("/ipfs/kad/1.0.0", "/meshsub/1.1.0", "/with space/1", "/with|bar/1"));
        PeerStoreFile.save(before, file);

        PeerStore after = new PeerStore();
        assertThat(PeerStoreFile.load(file, after, Duration.ofHours(1))).containsExactly(peer);
        assertThat(after.addresses(peer)).containsExactlyElementsOf(before.addresses(peer));
        assertThat(after.protocols(peer)).containsExactlyInAnyOrder("/ipfs/kad/1.0.0", "/meshsub/1.1.0");
    }
}
