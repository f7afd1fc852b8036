package dev.hyperj.p2p.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Key decoders on random and mutated input: a valid key or KeyFormatException, nothing else. */
class KeysPropertyTest {
    /** One key per type, generated once: RSA generation is slow. */
    private static final Map<KeyType, PrivateKey> KEYS = new EnumMap<>(KeyType.class);

    static {
        SecureRandom random = new SecureRandom();
        for (KeyType t : KeyType.values()) {
            KEYS.put(t, Keys.generate(t, random));
        }
    }

    @Provide
    Arbitrary<byte[]> encodedKeys() {
        return Arbitraries.of(KeyType.values())
                .flatMap(t -> Arbitraries.of(
                        KEYS.get(t).marshal(), KEYS.get(t).publicKey().marshal()));
    }

    @Property(tries = 3000)
    void randomBytesAreRejectedCleanly(@ForAll @Size(max = 128) byte[] input) {
        decodeBoth(input);
    }

    @Property(tries = 3000)
    void randomDataFieldsAreRejectedCleanly(@ForAll KeyType type, @ForAll @Size(max = 128) byte[] data) {
        for (boolean isPrivate : new boolean[] {true, false}) {
            try {
                if (isPrivate) {
                    Keys.unmarshalPrivateKey(type, data);
                } else {
                    Keys.unmarshalPublicKey(type, data);
                }
            } catch (KeyFormatException expected) {
                // the only failure allowed
            }
        }
    }

    @Property(tries = 3000)
    void mutatedKeysDecodeToAValidKeyOrKeyFormatException(
            @ForAll("encodedKeys") byte[] key, @ForAll int position, @ForAll byte value, @ForAll boolean truncate) {
        int at = Math.floorMod(position, key.length);
        byte[] mutated = truncate ? Arrays.copyOf(key, at) : key.clone();
        if (!truncate) {
            mutated[at] = value;
        }
        decodeBoth(mutated);
    }

    @Property(tries = 50)
    void generatedKeysRoundTrip(@ForAll("fastTypes") KeyType type) {
        PrivateKey k = Keys.generate(type);
        assertThat(Keys.unmarshalPrivateKey(k.marshal())).isEqualTo(k);
        assertThat(Keys.unmarshalPublicKey(k.publicKey().marshal()).marshal())
                .isEqualTo(k.publicKey().marshal());
    }

    @Provide
    Arbitrary<KeyType> fastTypes() {
        return Arbitraries.of(KeyType.ED25519, KeyType.SECP256K1, KeyType.ECDSA);
    }

    private static void decodeBoth(byte[] input) {
        try {
            PrivateKey k = Keys.unmarshalPrivateKey(input);
            // whatever decodes must be usable and re-encode stably
            assertThat(Keys.unmarshalPrivateKey(k.marshal())).isEqualTo(k);
            assertThat(k.publicKey().verify(new byte[] {1}, k.sign(new byte[] {1})))
                    .isTrue();
        } catch (KeyFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
        try {
            PublicKey k = Keys.unmarshalPublicKey(input);
            assertThat(Keys.unmarshalPublicKey(k.marshal())).isEqualTo(k);
            assertThat(k.verify(new byte[] {1}, new byte[64])).isFalse();
        } catch (KeyFormatException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
