package dev.hyperj.subnet.consensus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

class HeartbeatCodecPropertyTest {
    @Property
    void roundTrips(
            @ForAll @StringLength(min = 1, max = 128) String uid,
            @ForAll @LongRange(min = 0) long epoch,
            @ForAll @IntRange(min = 0) int subnet,
            @ForAll @IntRange(min = 0) int node) {
        Heartbeat h = new Heartbeat(uid, epoch, subnet, node);
        assertThat(Heartbeat.decode(h.encode())).isEqualTo(h);
    }

    @Property
    void randomBytesOnlyEverThrowTheCodecsException(@ForAll @Size(max = 2048) byte[] junk) {
        try {
            Heartbeat.decode(junk);
        } catch (HeartbeatFormatException expected) {
            // the only acceptable failure
        }
    }

    @Property
    void mutatedHeartbeatsOnlyEverThrowTheCodecsException(@ForAll("mutated") byte[] bytes) {
        try {
            Heartbeat h = Heartbeat.decode(bytes);
            assertThat(h.uid()).isNotEmpty();
        } catch (HeartbeatFormatException expected) {
            // fine
        }
    }

    @Provide
    Arbitrary<byte[]> mutated() {
        byte[] base = new Heartbeat("12D3KooWabc", 42, 128001, 3).encode();
        return Arbitraries.integers()
                .between(0, base.length - 1)
                .list()
                .ofMinSize(1)
                .ofMaxSize(4)
                .flatMap(positions -> Arbitraries.bytes()
                        .list()
                        .ofSize(positions.size())
                        .map(values -> {
                            byte[] b = base.clone();
                            for (int i = 0; i < positions.size(); i++) b[positions.get(i)] = values.get(i);
                            return b;
                        }));
    }

    @Example
    void strictAboutShapeTypesAndSize() {
        String[] bad = {
            "[]",
            "null",
            "{}",
            "\"x\"",
            "{\"uid\":\"a\",\"epoch\":1,\"subnet_id\":2}",
            "{\"uid\":\"a\",\"epoch\":1,\"subnet_id\":2,\"subnet_node_id\":3,\"extra\":0}",
            "{\"uid\":1,\"epoch\":1,\"subnet_id\":2,\"subnet_node_id\":3}",
            "{\"uid\":\"a\",\"epoch\":1.5,\"subnet_id\":2,\"subnet_node_id\":3}",
            "{\"uid\":\"a\",\"epoch\":\"1\",\"subnet_id\":2,\"subnet_node_id\":3}",
            "{\"uid\":\"a\",\"epoch\":-1,\"subnet_id\":2,\"subnet_node_id\":3}",
            "{\"uid\":\"a\",\"epoch\":1,\"subnet_id\":4294967296,\"subnet_node_id\":3}",
            "{\"uid\":\"a\",\"epoch\":99999999999999999999999,\"subnet_id\":2,\"subnet_node_id\":3}",
            "{\"uid\":\"\",\"epoch\":1,\"subnet_id\":2,\"subnet_node_id\":3}",
            "{\"uid\":\"a\",\"uid\":\"b\",\"epoch\":1,\"subnet_id\":2,\"subnet_node_id\":3}",
            "{\"uid\":\"a\",\"epoch\":1,\"subnet_id\":2,\"subnet_node_id\":3} trailing",
        };
        for (String s : bad) {
            assertThatThrownBy(() -> Heartbeat.decode(s.getBytes(StandardCharsets.UTF_8)))
                    .as(s)
                    .isInstanceOf(HeartbeatFormatException.class);
        }
        assertThatThrownBy(() -> Heartbeat.decode(new byte[Heartbeat.MAX_BYTES + 1]))
                .isInstanceOf(HeartbeatFormatException.class);
        assertThat(Heartbeat.decode("{\"subnet_node_id\":3,\"epoch\":1,\"uid\":\"a\",\"subnet_id\":2}"
                        .getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Heartbeat("a", 1, 2, 3));
        assertThat(new String(new Heartbeat("a", 1, 2, 3).encode(), StandardCharsets.UTF_8))
                .isEqualTo("{\"uid\":\"a\",\"epoch\":1,\"subnet_id\":2,\"subnet_node_id\":3}");
    }
}
