package dev.hyperj.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The XX state machine on its own: tampering, low-order keys, misuse and hostile bytes. */
class HandshakeStateTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    static HandshakeState initiator() {
        return new HandshakeState(
                true, new byte[0], X25519KeyPair.generate(RANDOM), () -> X25519KeyPair.generate(RANDOM));
    }

    static HandshakeState responder() {
        return new HandshakeState(
                false, new byte[0], X25519KeyPair.generate(RANDOM), () -> X25519KeyPair.generate(RANDOM));
    }

    @Test
    void bothSidesAgreeAndTransportKeysInterlock() throws Exception {
        HandshakeState i = initiator();
        HandshakeState r = responder();
        assertThat(r.readMessage(i.writeMessage("a".getBytes()))).containsExactly('a');
        assertThat(i.readMessage(r.writeMessage("bb".getBytes()))).containsExactly('b', 'b');
        assertThat(r.readMessage(i.writeMessage(new byte[0]))).isEmpty();
        assertThat(i.remoteStaticKey()).isEqualTo(r.localStaticKey().publicKey());
        assertThat(r.remoteStaticKey()).isEqualTo(i.localStaticKey().publicKey());
        HandshakeState.TransportKeys ik = i.split();
        HandshakeState.TransportKeys rk = r.split();
        assertThat(ik.handshakeHash()).isEqualTo(rk.handshakeHash());
        byte[] ct = ik.sender().encryptWithAd(null, new byte[] {42});
        assertThat(rk.receiver().decryptWithAd(null, ct, 0, ct.length)).containsExactly(42);
        byte[] back = rk.sender().encryptWithAd(null, new byte[] {43});
        assertThat(ik.receiver().decryptWithAd(null, back, 0, back.length)).containsExactly(43);
        // Each direction has its own key: a frame can't be reflected back to its sender.
        byte[] reflected = ik.sender().encryptWithAd(null, new byte[] {44});
        assertThatThrownBy(() -> ik.receiver().decryptWithAd(null, reflected, 0, reflected.length))
                .isInstanceOf(NoiseException.class);
    }

    @Test
    void aZeroEphemeralKeyIsRejectedByBothRoles() throws Exception {
        HandshakeState r = responder();
        r.readMessage(new byte[32]); // u = 0, a low-order point
        assertThatThrownBy(() -> r.writeMessage(new byte[0]))
                .isInstanceOf(NoiseException.class)
                .hasMessageContaining("low-order");

        HandshakeState i = initiator();
        i.writeMessage(new byte[0]);
        byte[] msg2 = new byte[32 + 48 + 16];
        assertThatThrownBy(() -> i.readMessage(msg2))
                .isInstanceOf(NoiseException.class)
                .hasMessageContaining("low-order");
    }

    @Test
    void aTamperedStaticKeyFailsAuthentication() throws Exception {
        HandshakeState i = initiator();
        HandshakeState r = responder();
        r.readMessage(i.writeMessage(new byte[0]));
        byte[] msg2 = r.writeMessage(new byte[0]);
        msg2[40] ^= 1;
        assertThatThrownBy(() -> i.readMessage(msg2)).isInstanceOf(NoiseException.class);
        // A failed state can't be driven further.
        assertThatThrownBy(() -> i.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void outOfTurnUseIsAProgrammingError() {
        HandshakeState r = responder();
        assertThatThrownBy(() -> r.writeMessage(new byte[0])).isInstanceOf(IllegalStateException.class);
        HandshakeState i = initiator();
        assertThatThrownBy(() -> i.readMessage(new byte[32])).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(i::split).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void payloadsAreBoundedByTheNoiseMessageSize() throws Exception {
        HandshakeState i = initiator();
        assertThat(i.writeMessage(new byte[65535 - 32])).hasSize(65535);
        HandshakeState r = responder();
        r.readMessage(initiator().writeMessage(new byte[0]));
        assertThatThrownBy(() -> r.writeMessage(new byte[65535 - 32 - 48 - 16 + 1]))
                .isInstanceOf(NoiseException.class);
        assertThatThrownBy(() -> responder().readMessage(new byte[65536])).isInstanceOf(NoiseException.class);
    }

    @Provide
    Arbitrary<Integer> messageIndex() {
        return Arbitraries.integers().between(0, 2);
    }

    /** Truncations, bit flips and random bytes in place of each honest message only ever throw NoiseException. */
    @Property(tries = 400)
    void mutatedMessagesOnlyThrowNoiseException(
            @ForAll("messageIndex") int target,
            @ForAll @IntRange(max = 3) int mutation,
            @ForAll @Size(max = 200) byte[] noise,
            @ForAll @IntRange(max = 10_000) int where)
            throws Exception {
        HandshakeState i = initiator();
        HandshakeState r = responder();
        HandshakeState[] writers = {i, r, i};
        HandshakeState[] readers = {r, i, r};
        for (int m = 0; m < 3; m++) {
            byte[] message = writers[m].writeMessage(m == 0 ? new byte[0] : "payload".getBytes());
            if (m == target) {
                byte[] bad = switch (mutation) {
                    case 0 -> Arrays.copyOf(message, where % (message.length + 1)); // truncated (or whole)
                    case 1 -> flip(message, where);
                    case 2 -> noise;
                    default -> concat(message, noise); // trailing bytes become part of the payload ciphertext
                };
                try {
                    readers[m].readMessage(bad);
                    // Only the cleartext first message or an unmodified message may be accepted.
                    assertThat(m == 0 || Arrays.equals(bad, message))
                            .as("tampered message %d accepted", m)
                            .isTrue();
                } catch (NoiseException expected) {
                    return;
                }
                if (m == 0) {
                    try {
                        r.writeMessage(new byte[0]); // a low-order key may only show up here
                    } catch (NoiseException expected) {
                        return;
                    }
                    return;
                }
            } else {
                readers[m].readMessage(message);
            }
        }
    }

    private static byte[] flip(byte[] message, int where) {
        byte[] copy = message.clone();
        if (copy.length > 0) {
            copy[where % copy.length] ^= (byte) (1 << (where % 8));
        }
        return copy;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
