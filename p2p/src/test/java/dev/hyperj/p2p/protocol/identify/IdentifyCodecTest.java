package dev.hyperj.p2p.protocol.identify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.KeyType;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.p2p.proto.ProtoException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class IdentifyCodecTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SEED = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            SEED[i] = (byte) (i + 1);
        }
    }

    /** Sealed by js-libp2p 3.x (@libp2p/peer-record) with the Ed25519 key of seed 1..32. */
    private static final String JS_ENVELOPE = "0a240801122079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad04"
            + "9664120203011a530a2600240801122079b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad04966410cb89"
            + "ec8ff7231a0a0a08047f000001060fa11a160a142900000000000000000000000000000001060fa22a40a77300ea1ed1d881f2"
            + "14c865e8b6a55321aba448d42b5fed806c2b47b762aaf91721797efc2981bc1940c8cf52164cb336922b8f3adce52a8bb59254"
            + "4b94ed0f";

    @Test
    void opensAPeerRecordSealedByJsLibp2p() {
        PeerRecord r = PeerRecord.open(HEX.parseHex(JS_ENVELOPE));
        assertThat(r.peerId()).isEqualTo(PeerId.parse("12D3KooWJ1TsijH7H5F74hfAD5XishQz3sxrmAtVY37GtNd9CqYf"));
        assertThat(r.seq()).isEqualTo(1234567890123L);
        assertThat(r.addresses())
                .containsExactly(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"), Multiaddr.parse("/ip6/::1/tcp/4002"));
    }

    @Test
    void sealsByteForByteWhatJsLibp2pSeals() {
        PrivateKey key = Keys.ed25519FromSeed(SEED);
        PeerRecord r = new PeerRecord(
                PeerId.fromPublicKey(key.publicKey()),
                1234567890123L,
                List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"), Multiaddr.parse("/ip6/::1/tcp/4002")));
        assertThat(HEX.formatHex(r.seal(key).marshal())).isEqualTo(JS_ENVELOPE);
    }

    @Test
    void rejectsTamperedWrongTypeAndForeignSignedRecords() {
        byte[] good = HEX.parseHex(JS_ENVELOPE);
        byte[] tampered = good.clone();
        tampered[60] ^= 1; // inside the payload
        assertThatThrownBy(() -> PeerRecord.open(tampered)).isInstanceOf(IdentifyException.class);

        PrivateKey key = Keys.generate(KeyType.ED25519);
        PeerRecord r = new PeerRecord(PeerId.fromPublicKey(key.publicKey()), 1, List.of());
        byte[] otherType = SignedEnvelope.seal(key, PeerRecord.DOMAIN, new byte[] {3, 2}, r.encode())
                .marshal();
        assertThatThrownBy(() -> PeerRecord.open(otherType)).hasMessageContaining("payload type");
        byte[] otherDomain = SignedEnvelope.seal(key, "not-a-peer-record", PeerRecord.payloadType(), r.encode())
                .marshal();
        assertThatThrownBy(() -> PeerRecord.open(otherDomain)).hasMessageContaining("does not verify");

        PrivateKey mallory = Keys.generate(KeyType.ED25519);
        byte[] foreign = SignedEnvelope.seal(mallory, PeerRecord.DOMAIN, PeerRecord.payloadType(), r.encode())
                .marshal();
        assertThatThrownBy(() -> PeerRecord.open(foreign)).hasMessageContaining("signed by");
    }

    @Test
    void recordsOfEveryKeyTypeRoundTrip() {
        for (KeyType t : KeyType.values()) {
            PrivateKey key = Keys.generate(t);
            PeerRecord r = new PeerRecord(
                    PeerId.fromPublicKey(key.publicKey()), 7, List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1234")));
            assertThat(PeerRecord.open(r.seal(key).marshal())).as(t.name()).isEqualTo(r);
        }
    }

    @Property(tries = 300)
    void mutatedEnvelopesNeverOpenAndOnlyThrowIdentifyException(
            @ForAll @IntRange(min = 0, max = 400) int at, @ForAll @IntRange(min = 1, max = 255) int xor) {
        byte[] bytes = HEX.parseHex(JS_ENVELOPE);
        bytes[at % bytes.length] ^= (byte) xor;
        assertThatThrownBy(() -> PeerRecord.open(bytes)).isInstanceOf(IdentifyException.class);
    }

    @Property(tries = 300)
    void garbageEnvelopesOnlyThrowIdentifyException(@ForAll @Size(max = 300) byte[] garbage) {
        assertThatThrownBy(() -> PeerRecord.open(garbage)).isInstanceOf(IdentifyException.class);
    }

    @Property(tries = 200)
    void identifyMessagesRoundTrip(@ForAll("messages") IdentifyMessage m) {
        assertThat(IdentifyMessage.decode(m.encode()).encode()).isEqualTo(m.encode());
    }

    @Property(tries = 200)
    void splitMessagesFitAndMergeBack(
            @ForAll("messages") IdentifyMessage m, @ForAll @IntRange(min = 300, max = 4000) int max) {
        List<IdentifyMessage> parts;
        try {
            parts = m.split(max);
        } catch (IllegalArgumentException tooBig) {
            return; // the non-protocol fields alone do not fit: nothing to split
        }
        assertThat(parts).allSatisfy(p -> assertThat(p.encode().length).isLessThanOrEqualTo(max));
        IdentifyMessage merged = IdentifyMessage.merge(parts);
        assertThat(merged.protocols()).containsExactlyElementsOf(new java.util.LinkedHashSet<>(m.protocols()));
        assertThat(merged.agentVersion()).isEqualTo(m.agentVersion());
        assertThat(merged.listenAddrs()).hasSameSizeAs(m.listenAddrs());
    }

    @Property(tries = 500)
    void garbageIdentifyMessagesOnlyThrowProtoException(@ForAll @Size(max = 500) byte[] garbage) {
        try {
            IdentifyMessage.decode(garbage);
        } catch (ProtoException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<IdentifyMessage> messages() {
        Arbitrary<String> text = Arbitraries.strings().ofMaxLength(40);
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(40);
        return net.jqwik.api.Combinators.combine(
                        text.injectNull(0.2),
                        text.injectNull(0.2),
                        bytes.injectNull(0.2),
                        bytes.list().ofMaxSize(5),
                        bytes.injectNull(0.3),
                        Arbitraries.strings()
                                .alpha()
                                .ofMinLength(1)
                                .ofMaxLength(30)
                                .list()
                                .ofMaxSize(60),
                        bytes.injectNull(0.5))
                .as((pv, av, pk, la, oa, ps, spr) -> new IdentifyMessage(pv, av, pk, new ArrayList<>(la), oa, ps, spr));
    }
}
