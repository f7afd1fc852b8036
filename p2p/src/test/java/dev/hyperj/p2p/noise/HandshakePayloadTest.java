package dev.hyperj.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.proto.ProtoWriter;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class HandshakePayloadTest {

    @Property(tries = 300)
    void roundTrips(
            @ForAll @Size(max = 100) byte[] key,
            @ForAll @Size(max = 100) byte[] sig,
            @ForAll @Size(max = 5) List<@Size(max = 40) byte[]> certhashes,
            @ForAll @Size(max = 5) List<String> muxers)
            throws Exception {
        HandshakePayload decoded = HandshakePayload.decode(new HandshakePayload(key, sig, certhashes, muxers).encode());
        assertThat(decoded.identityKey()).isEqualTo(key);
        assertThat(decoded.identitySignature()).isEqualTo(sig);
        assertThat(decoded.webtransportCerthashes()).containsExactlyElementsOf(certhashes);
        assertThat(decoded.streamMuxers()).isEqualTo(muxers);
    }

    @Property(tries = 1000)
    void randomBytesOnlyEverThrowNoiseException(@ForAll @Size(max = 200) byte[] bytes) {
        try {
            HandshakePayload.decode(bytes);
        } catch (NoiseException expected) {
            // fine: the only failure allowed
        }
    }

    @Test
    void unknownFieldsAreSkipped() throws Exception {
        byte[] bytes = new ProtoWriter()
                .writeVarint(3, 42)
                .writeBytes(1, new byte[] {1, 2})
                .writeBytes(99, new byte[] {9})
                .writeBytes(2, new byte[] {3})
                .writeMessage(
                        4, new ProtoWriter().writeString(2, "/yamux/1.0.0").writeVarint(7, 1))
                .writeFixed32(5, 1)
                .toByteArray();
        HandshakePayload p = HandshakePayload.decode(bytes);
        assertThat(p.identityKey()).containsExactly(1, 2);
        assertThat(p.identitySignature()).containsExactly(3);
        assertThat(p.streamMuxers()).containsExactly("/yamux/1.0.0");
    }

    @Test
    void aWrongWireTypeAndTooManyExtensionsAreRejected() {
        assertThatThrownBy(() -> HandshakePayload.decode(
                        new ProtoWriter().writeVarint(1, 5).toByteArray()))
                .isInstanceOf(NoiseException.class)
                .hasMessageContaining("wire type");
        ProtoWriter ext = new ProtoWriter();
        for (int i = 0; i <= HandshakePayload.MAX_EXTENSION_ENTRIES; i++) {
            ext.writeString(2, "m" + i);
        }
        assertThatThrownBy(() -> HandshakePayload.decode(
                        new ProtoWriter().writeMessage(4, ext).toByteArray()))
                .isInstanceOf(NoiseException.class)
                .hasMessageContaining("extension entries");
    }
}
