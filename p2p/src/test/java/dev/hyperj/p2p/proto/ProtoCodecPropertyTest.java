package dev.hyperj.p2p.proto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

class ProtoCodecPropertyTest {
    /** One field to write: a varint or a bytes value. */
    record Field(int number, boolean isVarint, long varint, byte[] bytes) {}

    @Provide
    Arbitrary<List<Field>> messages() {
        Arbitrary<Field> field = Combinators.combine(
                        Arbitraries.integers().between(1, (1 << 29) - 1),
                        Arbitraries.of(true, false),
                        Arbitraries.longs(),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(300))
                .as(Field::new);
        return field.list().ofMaxSize(12);
    }

    @Property
    void writtenMessagesReadBack(@ForAll("messages") List<Field> fields) {
        ProtoWriter w = new ProtoWriter(1);
        for (Field f : fields) {
            if (f.isVarint()) {
                w.writeVarint(f.number(), f.varint());
            } else {
                w.writeBytes(f.number(), f.bytes());
            }
        }
        ProtoReader r = new ProtoReader(w.toByteArray());
        List<Field> read = new ArrayList<>();
        while (r.next()) {
            boolean isVarint = r.wireType() == 0;
            read.add(new Field(r.field(), isVarint, isVarint ? r.varint() : 0, isVarint ? null : r.bytes()));
        }
        assertThat(read).hasSameSizeAs(fields);
        for (int i = 0; i < fields.size(); i++) {
            Field a = fields.get(i);
            Field b = read.get(i);
            assertThat(b.number()).isEqualTo(a.number());
            assertThat(b.isVarint()).isEqualTo(a.isVarint());
            if (a.isVarint()) {
                assertThat(b.varint()).isEqualTo(a.varint());
            } else {
                assertThat(b.bytes()).isEqualTo(a.bytes());
            }
        }
    }

    @Property(tries = 2000)
    void randomBytesOnlyEverThrowProtoException(@ForAll @Size(max = 64) byte[] input) {
        readAll(input);
    }

    @Property(tries = 2000)
    void mutatedMessagesOnlyEverThrowProtoException(
            @ForAll("messages") List<Field> fields,
            @ForAll int position,
            @ForAll byte value,
            @ForAll boolean truncate) {
        ProtoWriter w = new ProtoWriter();
        for (Field f : fields) {
            if (f.isVarint()) {
                w.writeVarint(f.number(), f.varint());
            } else {
                w.writeBytes(f.number(), f.bytes());
            }
        }
        byte[] msg = w.toByteArray();
        if (msg.length == 0) {
            return;
        }
        int at = Math.floorMod(position, msg.length);
        byte[] mutated = truncate ? Arrays.copyOf(msg, at) : msg.clone();
        if (!truncate) {
            mutated[at] = value;
        }
        readAll(mutated);
    }

    /** Reads every field with the accessor its wire type calls for, as a decoder would. */
    private static void readAll(byte[] input) {
        try {
            ProtoReader r = new ProtoReader(input);
            while (r.next()) {
                switch (r.wireType()) {
                    case 0 -> r.varint();
                    case 1 -> r.fixed64();
                    case 2 -> r.bytes();
                    case 5 -> r.fixed32();
                    default -> throw new AssertionError("reader returned wire type " + r.wireType());
                }
            }
        } catch (ProtoException expected) {
            assertThat(expected.getMessage()).isNotBlank();
        }
    }
}
