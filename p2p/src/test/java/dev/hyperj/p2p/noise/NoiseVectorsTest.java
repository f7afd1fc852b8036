package dev.hyperj.p2p.noise;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known-answer tests: the published Noise_XX_25519_ChaChaPoly_SHA256 vectors of two independent
 * implementations (cacophony, Haskell; snow, Rust), as shipped in snow's test suite. Fixed static
 * and ephemeral keys make every handshake and transport message byte-exact, so any deviation from
 * the spec (HKDF, nonce encoding, MixHash order, Split orientation) changes the ciphertexts.
 * Messages alternate sides, starting with the initiator, through the handshake and after it.
 */
class NoiseVectorsTest {
    record Message(String payload, String ciphertext) {}

    record Vector(
            String source,
            String prologue,
            String initStatic,
            String initEphemeral,
            String respStatic,
            String respEphemeral,
            String handshakeHash,
            List<Message> messages) {
        @Override
        public String toString() {
            return source;
        }
    }

    private static final HexFormat HEX = HexFormat.of();

    static Stream<Vector> vectors() {
        return Stream.of(
                new Vector(
                        "cacophony (mcginty/snow tests/vectors/cacophony.txt)",
                        "4a6f686e2047616c74",
                        "e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1",
                        "893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a",
                        "4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893",
                        "bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b",
                        "c8e5f64e846193be2a834104c2a009868d6c9f3bd3c186299888b488b2f1f58e",
                        List.of(
                                new Message(
                                        "4c756477696720766f6e204d69736573",
                                        "ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573"),
                                new Message(
                                        "4d757272617920526f746862617264",
                                        "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884381cbad1f276e038c48378ffce2b65285e08d6b68aaa3629a5a8639392490e5b9bd5269c2f1e4f488ed8831161f19b7815528f8982ffe09be9b5c412f8a0db50f8814c7194e83f23dbd8d162c9326ad"),
                                new Message(
                                        "462e20412e20486179656b",
                                        "c7195ffacac1307ff99046f219750fc47693e23c3cb08b89c2af808b444850a80ae475b9df0f169ae80a89be0865b57f58c9fea0d4ec82a286427402f113e4b6ae769a1d95941d49b25030"),
                                new Message(
                                        "4361726c204d656e676572",
                                        "96763ed773f8e47bb3712f0e29b3060ffc956ffc146cee53d5e1df"),
                                new Message(
                                        "4a65616e2d426170746973746520536179",
                                        "3e40f15f6f3a46ae446b253bf8b1d9ffb6ed9b174d272328ff91a7e2e5c79c07f5"),
                                new Message(
                                        "457567656e2042f6686d20766f6e2042617765726b",
                                        "eb3f3515110702e047a6c9da4478b6ead94873c11c0f2d710ddb3f09fce024b3a58502ae3f"))),
                new Vector(
                        "snow (mcginty/snow tests/vectors/snow.txt)",
                        "5468657265206973206e6f20726967687420616e642077726f6e672e2054686572652773206f6e6c792066756e20616e6420626f72696e672e",
                        "7dec208517a3b81a2861d7a71266d5d6dc944c5a8816634a86fe63198a0148ee",
                        "a32daf21e93c0131495ce1d903181fde81cc46937daaeb990bae7c992709421e",
                        "4d0aed5098e3b4ef20357e9f686ce66204c792b358da2e475017d6c485304881",
                        "4eece0f195d026db035ff987597c429d3ad3bcc2944df37d649528951b2a27c5",
                        null,
                        List.of(
                                new Message(
                                        "d03c489139e645d0711a3c9e810d776b46a84912463fafa87b884eebf242dc34",
                                        "f9fa868ba97ab8a2686deccfaad5a484ee10a5bb85e3d1dce015a84797f92818d03c489139e645d0711a3c9e810d776b46a84912463fafa87b884eebf242dc34"),
                                new Message(
                                        "d8190a92f7dc0c93dbea9118ba8055751fb7c6590c416ffbd419964132b99a85",
                                        "8c4e6fdb7d09d501a86f7eca5c234522751706ed409182c05cdf5f827d4dae47b81c6c5f43b025692c24391eefee725c17d8cb0fbe3e4abb8aedf42c4fd2592d4ea48ac08989d6ae8b4adae08b2c34087c808c7aa55a63c02b0fab9e930612336bd43eaea04d3c670a0a146691aa9cc9d357872320dc735dbc48580cffb553db"),
                                new Message(
                                        "77891b19dcb92ef7c055b672c4a5aa7fdf1c84146b8b303459022729473ce254",
                                        "933ca6b5ed60df3df66121f0ab49a09e49efa45c613a86a3cecbf4c535cef2f83f72b42837b18e3572f2fdc2b74c331e2368a545cef54bdca081678ab0e9dd5348122459e0c034c851984d88ce610963d43cde6cfe73a67fbd5a63e8bfca96d0"),
                                new Message(
                                        "d7efdf988072881941db045a42882433817555128fbf5663e56081712ec7d212",
                                        "54ef0ff0629e1aaa7685a2806ab111cba76b52331f2642276736f415868eacb69ab2577f3bda0cbf72f879685f6ed25f"),
                                new Message(
                                        "dd7bf01a588bafb52c6cfba952e5d8fe35cc2b3f92b4730ae2474615157345ce",
                                        "356be70f110306d5c699bb834bb9d58d909e325924dfbec972e406e6f294dc63e1daebefe8a62a334facc8048ab4ad66"))));
    }

    @ParameterizedTest
    @MethodSource("vectors")
    void handshakeAndTransportMessagesMatchTheVectors(Vector v) throws Exception {
        byte[] prologue = HEX.parseHex(v.prologue());
        HandshakeState initiator = new HandshakeState(
                true,
                prologue,
                X25519KeyPair.fromPrivateKey(HEX.parseHex(v.initStatic())),
                () -> X25519KeyPair.fromPrivateKey(HEX.parseHex(v.initEphemeral())));
        HandshakeState responder = new HandshakeState(
                false,
                prologue,
                X25519KeyPair.fromPrivateKey(HEX.parseHex(v.respStatic())),
                () -> X25519KeyPair.fromPrivateKey(HEX.parseHex(v.respEphemeral())));

        List<Message> messages = v.messages();
        int i = 0;
        for (; i < 3; i++) {
            HandshakeState sender = i % 2 == 0 ? initiator : responder;
            HandshakeState receiver = i % 2 == 0 ? responder : initiator;
            byte[] payload = HEX.parseHex(messages.get(i).payload());
            byte[] written = sender.writeMessage(payload);
            assertThat(HEX.formatHex(written))
                    .as("handshake message %d", i)
                    .isEqualTo(messages.get(i).ciphertext());
            assertThat(receiver.readMessage(written)).as("payload %d", i).isEqualTo(payload);
        }
        assertThat(initiator.isComplete()).isTrue();
        assertThat(responder.isComplete()).isTrue();
        assertThat(initiator.handshakeHash()).isEqualTo(responder.handshakeHash());
        if (v.handshakeHash() != null) {
            assertThat(HEX.formatHex(initiator.handshakeHash())).isEqualTo(v.handshakeHash());
        }
        assertThat(responder.remoteStaticKey())
                .isEqualTo(X25519KeyPair.fromPrivateKey(HEX.parseHex(v.initStatic()))
                        .publicKey());
        assertThat(initiator.remoteStaticKey())
                .isEqualTo(X25519KeyPair.fromPrivateKey(HEX.parseHex(v.respStatic()))
                        .publicKey());

        HandshakeState.TransportKeys initKeys = initiator.split();
        HandshakeState.TransportKeys respKeys = responder.split();
        for (; i < messages.size(); i++) {
            boolean fromInitiator = i % 2 == 0;
            CipherState send = fromInitiator ? initKeys.sender() : respKeys.sender();
            CipherState receive = fromInitiator ? respKeys.receiver() : initKeys.receiver();
            byte[] payload = HEX.parseHex(messages.get(i).payload());
            byte[] ciphertext = send.encryptWithAd(null, payload);
            assertThat(HEX.formatHex(ciphertext))
                    .as("transport message %d", i)
                    .isEqualTo(messages.get(i).ciphertext());
            assertThat(receive.decryptWithAd(null, ciphertext, 0, ciphertext.length))
                    .isEqualTo(payload);
        }
    }
}
