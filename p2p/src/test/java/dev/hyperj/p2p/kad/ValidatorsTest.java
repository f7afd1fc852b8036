package dev.hyperj.p2p.kad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

class ValidatorsTest {
    private final Validators validators = Validators.defaults();

    @Test
    void acceptsAPublicKeyUnderItsOwnPeerId() {
        PrivateKey k = TestPeers.key(3);
        PeerId id = PeerId.fromPublicKey(k.publicKey());
        assertThatCode(() -> validators.validate(
                        Validators.publicKeyRecordKey(id), k.publicKey().marshal()))
                .doesNotThrowAnyException();
    }

    @Test
    void rejectsAPublicKeyUnderAnotherPeerId() {
        PeerId other = TestPeers.peer(4);
        assertThatThrownBy(() -> validators.validate(
                        Validators.publicKeyRecordKey(other),
                        TestPeers.key(3).publicKey().marshal()))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("does not hash");
    }

    @Test
    void rejectsMalformedPkRecords() {
        byte[] garbageId = "/pk/xyz".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> validators.validate(
                        garbageId, TestPeers.key(3).publicKey().marshal()))
                .isInstanceOf(InvalidRecordException.class);
        PeerId id = TestPeers.peer(3);
        assertThatThrownBy(() -> validators.validate(Validators.publicKeyRecordKey(id), new byte[] {1, 2, 3}))
                .isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void rejectsKeysOutsideRegisteredNamespaces() {
        assertThatThrownBy(() -> validators.validate("/other/x".getBytes(StandardCharsets.US_ASCII), new byte[1]))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("other");
        assertThatThrownBy(() -> validators.validate("no-namespace".getBytes(StandardCharsets.US_ASCII), new byte[1]))
                .isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> validators.validate("//x".getBytes(StandardCharsets.US_ASCII), new byte[1]))
                .isInstanceOf(InvalidRecordException.class);
    }

    /** An application namespace: value = 8-byte epoch; valid within the last 3 epochs; highest wins. */
    static RecordValidator epochWindow(LongSupplier currentEpoch) {
        return RecordValidator.of(
                "epoch-window",
                (key, value) -> {
                    if (value.length != 8) {
                        return false;
                    }
                    long epoch = ByteBuffer.wrap(value).getLong();
                    long now = currentEpoch.getAsLong();
                    return epoch <= now && epoch > now - 3;
                },
                Comparator.comparingLong(v -> ByteBuffer.wrap(v).getLong()));
    }

    static byte[] epoch(long e) {
        return ByteBuffer.allocate(8).putLong(e).array();
    }

    @Test
    void applicationValidatorsValidateAndSelectByNamespace() {
        long[] now = {10};
        Validators v = Validators.builder()
                .register("subnet", epochWindow(() -> now[0]))
                .build();
        byte[] key = "/subnet/7/heartbeat".getBytes(StandardCharsets.US_ASCII);
        assertThatCode(() -> v.validate(key, epoch(9))).doesNotThrowAnyException();
        assertThatThrownBy(() -> v.validate(key, epoch(7))).isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> v.validate(key, epoch(11))).isInstanceOf(InvalidRecordException.class);
        assertThatThrownBy(() -> v.validate(key, new byte[3])).isInstanceOf(InvalidRecordException.class);
        assertThat(v.select(key, List.of(epoch(8), epoch(10), epoch(9)))).isEqualTo(1);
        assertThat(v.namespaces()).containsExactlyInAnyOrder("pk", "subnet");
    }

    @Test
    void aThrowingPredicateIsAnInvalidRecordNotACrash() {
        Validators v = Validators.builder()
                .register(
                        "x",
                        RecordValidator.of(
                                "boom",
                                (k, val) -> {
                                    throw new ArrayIndexOutOfBoundsException("bad");
                                },
                                Comparator.comparingInt(b -> b.length)))
                .build();
        assertThatThrownBy(() -> v.validate("/x/1".getBytes(StandardCharsets.US_ASCII), new byte[0]))
                .isInstanceOf(InvalidRecordException.class);
    }

    @Test
    void rejectsBadNamespaceNames() {
        assertThatThrownBy(() ->
                        Validators.builder().register("a/b", RecordValidator.of("x", (k, v) -> true, (a, b) -> 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(
                        () -> Validators.builder().register("", RecordValidator.of("x", (k, v) -> true, (a, b) -> 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aValidatorRegisteredLateJudgesItsNamespaceAndCannotReplaceAnother() {
        Validators v = Validators.defaults();
        byte[] key = "/app/x".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> v.validate(key, new byte[] {1}))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("no validator");
        v.registerLate(
                "app", RecordValidator.of("one byte", (k, val) -> val.length == 1, Comparator.comparingInt(b -> b[0])));
        assertThatCode(() -> v.validate(key, new byte[] {1})).doesNotThrowAnyException();
        assertThatThrownBy(() -> v.validate(key, new byte[] {1, 2})).isInstanceOf(InvalidRecordException.class);
        assertThat(v.select(key, List.of(new byte[] {1}, new byte[] {5}))).isEqualTo(1);
        assertThat(v.namespaces()).contains("pk", "app");
        assertThatThrownBy(() -> v.registerLate(
                        "pk", RecordValidator.of("x", (k, val) -> true, Comparator.comparingInt(b -> 0))))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> v.registerLate(
                        "a/b", RecordValidator.of("x", (k, val) -> true, Comparator.comparingInt(b -> 0))))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
