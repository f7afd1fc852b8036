package dev.hyperj.p2p.noise;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Noise HandshakeState (spec rev 34, section 5.3) for the one protocol libp2p uses,
 * {@code Noise_XX_25519_ChaChaPoly_SHA256}:
 * <pre>
 *   -> e
 *   <- e, ee, s, es
 *   -> s, se
 * </pre>
 * Messages are processed token by token as the spec describes, so the code reads like the pattern.
 * A state runs one handshake once; any failure leaves it unusable (the caller drops the connection).
 */
final class HandshakeState {
    static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    /** Noise messages, handshake or transport, are at most 65535 bytes (spec section 3). */
    static final int MAX_MESSAGE_LENGTH = 65535;

    private enum Token {
        E,
        S,
        EE,
        ES,
        SE
    }

    private static final Token[][] XX = {
        {Token.E}, {Token.E, Token.EE, Token.S, Token.ES}, {Token.S, Token.SE},
    };

    /** The two transport cipher states, oriented for this side. */
    record TransportKeys(CipherState sender, CipherState receiver, byte[] handshakeHash) {}

    private final boolean initiator;
    private final SymmetricState symmetric;
    private final X25519KeyPair localStatic;
    private final Supplier<X25519KeyPair> ephemeralSource;
    private X25519KeyPair localEphemeral;
    private byte[] remoteEphemeral;
    private byte[] remoteStatic;
    private int messageIndex;
    private boolean failed;

    /**
     * Initialize(): XX has no pre-messages, so only the prologue is hashed. {@code ephemeralSource}
     * is called once, when this side writes its "e" (tests inject fixed keys through it).
     */
    HandshakeState(
            boolean initiator, byte[] prologue, X25519KeyPair localStatic, Supplier<X25519KeyPair> ephemeralSource) {
        this.initiator = initiator;
        this.localStatic = localStatic;
        this.ephemeralSource = ephemeralSource;
        this.symmetric = new SymmetricState(PROTOCOL_NAME);
        symmetric.mixHash(prologue);
    }

    boolean isInitiator() {
        return initiator;
    }

    /** True when the next handshake message is ours to write. */
    boolean isWriteTurn() {
        return !isComplete() && (messageIndex % 2 == 0) == initiator;
    }

    boolean isComplete() {
        return messageIndex == XX.length;
    }

    /** The remote static DH key once its "s" token was read, else null. */
    byte[] remoteStaticKey() {
        return remoteStatic == null ? null : remoteStatic.clone();
    }

    X25519KeyPair localStaticKey() {
        return localStatic;
    }

    byte[] handshakeHash() {
        return symmetric.handshakeHash();
    }

    /** WriteMessage(payload): returns the handshake message to send. */
    byte[] writeMessage(byte[] payload) throws NoiseException {
        checkTurn(true);
        failed = true; // cleared on success: a half-written message poisons the state
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + payload.length);
        for (Token token : XX[messageIndex]) {
            switch (token) {
                case E -> {
                    localEphemeral = ephemeralSource.get();
                    byte[] pub = localEphemeral.publicKeyRef();
                    out.writeBytes(pub);
                    symmetric.mixHash(pub);
                }
                case S -> out.writeBytes(symmetric.encryptAndHash(localStatic.publicKeyRef()));
                default -> symmetric.mixKey(dh(token));
            }
        }
        int room = MAX_MESSAGE_LENGTH - out.size() - (symmetric.hasKey() ? CipherState.TAG_LENGTH : 0);
        if (payload.length > room) {
            throw new NoiseException("handshake payload of " + payload.length + " bytes exceeds the " + room
                    + " bytes a Noise message has room for");
        }
        out.writeBytes(symmetric.encryptAndHash(payload));
        messageIndex++;
        failed = false;
        return out.toByteArray();
    }

    /** ReadMessage(message): returns the decrypted payload or throws on any malformed input. */
    byte[] readMessage(byte[] message, int off, int len) throws NoiseException {
        checkTurn(false);
        if (len > MAX_MESSAGE_LENGTH) {
            throw new NoiseException("handshake message of " + len + " bytes exceeds " + MAX_MESSAGE_LENGTH);
        }
        failed = true;
        int pos = off;
        int end = off + len;
        for (Token token : XX[messageIndex]) {
            switch (token) {
                case E -> {
                    requireBytes(end - pos, X25519KeyPair.KEY_LENGTH, "ephemeral key");
                    remoteEphemeral = Arrays.copyOfRange(message, pos, pos + X25519KeyPair.KEY_LENGTH);
                    pos += X25519KeyPair.KEY_LENGTH;
                    symmetric.mixHash(remoteEphemeral);
                }
                case S -> {
                    int sLen = X25519KeyPair.KEY_LENGTH + (symmetric.hasKey() ? CipherState.TAG_LENGTH : 0);
                    requireBytes(end - pos, sLen, "static key");
                    remoteStatic = symmetric.decryptAndHash(message, pos, sLen);
                    pos += sLen;
                }
                default -> symmetric.mixKey(dh(token));
            }
        }
        if (symmetric.hasKey()) {
            requireBytes(end - pos, CipherState.TAG_LENGTH, "payload tag");
        }
        byte[] payload = symmetric.decryptAndHash(message, pos, end - pos);
        messageIndex++;
        failed = false;
        return payload;
    }

    byte[] readMessage(byte[] message) throws NoiseException {
        return readMessage(message, 0, message.length);
    }

    /** Split() after the last message, oriented: initiators send with c1, responders with c2. */
    TransportKeys split() {
        if (!isComplete() || failed) {
            throw new IllegalStateException("handshake not complete");
        }
        byte[] hash = symmetric.handshakeHash();
        CipherState[] pair = symmetric.split();
        return initiator ? new TransportKeys(pair[0], pair[1], hash) : new TransportKeys(pair[1], pair[0], hash);
    }

    private byte[] dh(Token token) throws NoiseException {
        // es = DH(initiator's e, responder's s); se = DH(initiator's s, responder's e).
        return switch (token) {
            case EE -> localEphemeral.agree(remoteEphemeral);
            case ES -> initiator ? localEphemeral.agree(remoteStatic) : localStatic.agree(remoteEphemeral);
            case SE -> initiator ? localStatic.agree(remoteEphemeral) : localEphemeral.agree(remoteStatic);
            default -> throw new IllegalStateException("not a DH token: " + token);
        };
    }

    private void checkTurn(boolean writing) {
        if (failed) {
            throw new IllegalStateException("handshake already failed");
        }
        if (isComplete()) {
            throw new IllegalStateException("handshake already complete");
        }
        if (isWriteTurn() != writing) {
            throw new IllegalStateException(writing ? "not our turn to write" : "not our turn to read");
        }
    }

    private static void requireBytes(int available, int needed, String what) throws NoiseException {
        if (available < needed) {
            throw new NoiseException("handshake message truncated: " + what + " needs " + needed + " bytes, "
                    + Math.max(available, 0) + " left");
        }
    }
}
