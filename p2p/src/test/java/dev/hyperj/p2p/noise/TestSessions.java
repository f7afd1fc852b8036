package dev.hyperj.p2p.noise;

import java.security.SecureRandom;

/** Matched transport keys from a real in-memory XX handshake with fresh random keys. */
final class TestSessions {
    private static final SecureRandom RANDOM = new SecureRandom();

    private TestSessions() {}

    /** [0] = initiator's keys, [1] = responder's keys. */
    static HandshakeState.TransportKeys[] keyPair() throws NoiseException {
        HandshakeState initiator = new HandshakeState(
                true, new byte[0], X25519KeyPair.generate(RANDOM), () -> X25519KeyPair.generate(RANDOM));
        HandshakeState responder = new HandshakeState(
                false, new byte[0], X25519KeyPair.generate(RANDOM), () -> X25519KeyPair.generate(RANDOM));
        responder.readMessage(initiator.writeMessage(new byte[0]));
        initiator.readMessage(responder.writeMessage(new byte[0]));
        responder.readMessage(initiator.writeMessage(new byte[0]));
        return new HandshakeState.TransportKeys[] {initiator.split(), responder.split()};
    }
}
