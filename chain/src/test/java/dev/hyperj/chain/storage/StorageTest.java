package dev.hyperj.chain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class StorageTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void childOverlayWritesReachTheBackendOnlyThroughCommitAndChanges() {
        MemoryBackend backend = new MemoryBackend();
        Overlay block = new Overlay(backend);
        block.put(b("a"), b("1"));
        Overlay failingCall = block.child();
        failingCall.put(b("b"), b("2"));
        failingCall.delete(b("a"));
        assertThat(failingCall.get(b("a"))).isNull();
        // the call fails: its overlay is dropped
        assertThat(block.get(b("b"))).isNull();
        assertThat(block.get(b("a"))).isEqualTo(b("1"));
        Overlay goodCall = block.child();
        goodCall.put(b("c"), b("3"));
        goodCall.commit();
        assertThat(backend.size()).isZero();
        backend.apply(block.changes());
        assertThat(backend.get(b("a"))).isEqualTo(b("1"));
        assertThat(backend.get(b("c"))).isEqualTo(b("3"));
        assertThat(backend.get(b("b"))).isNull();
    }

    @Test
    void typedItemsRoundTripAndIterateByFirstKey() {
        MemoryBackend backend = new MemoryBackend();
        Overlay s = new Overlay(backend);
        StorageValue<Integer> counter = new StorageValue<>("Counter", Integer.class, () -> 0);
        StorageDoubleMap<Integer, Integer, String> names =
                new StorageDoubleMap<>("Names", Integer.class, Integer.class, String.class, null);
        assertThat(counter.get(s)).isZero();
        counter.put(s, 7);
        names.put(s, 1, 10, "x");
        names.put(s, 1, 11, "y");
        names.put(s, 2, 10, "z");
        List<String> inOne = new ArrayList<>();
        names.forEachIn(s, 1, (k, v) -> inOne.add(k + "=" + v));
        assertThat(inOne).containsExactly("10=x", "11=y");
        names.removePrefix(s, 1);
        backend.apply(s.changes());
        assertThat(counter.get(backend)).isEqualTo(7);
        assertThat(names.find(backend, 1, 10)).isEmpty();
        assertThat(names.get(backend, 2, 10)).isEqualTo("z");
    }

    @Test
    void stateRootDependsOnContentNotOnWriteOrder() {
        MemoryBackend x = new MemoryBackend();
        Overlay ox = new Overlay(x);
        ox.put(b("k1"), b("v1"));
        ox.put(b("k2"), b("v2"));
        x.apply(ox.changes());
        MemoryBackend y = new MemoryBackend();
        Overlay oy = new Overlay(y);
        oy.put(b("k2"), b("v2"));
        oy.put(b("k1"), b("v1"));
        assertThat(StateRoot.compute(oy)).isEqualTo(StateRoot.compute(x));
        y.apply(oy.changes());
        assertThat(StateRoot.compute(y)).isEqualTo(StateRoot.compute(x));
        Overlay oz = new Overlay(y);
        oz.put(b("k1"), b("v1x"));
        assertThat(StateRoot.compute(oz)).isNotEqualTo(StateRoot.compute(x));
        // ("k1","v1") vs ("k","1v1"): length prefixes keep the encoding unambiguous
        MemoryBackend w = new MemoryBackend();
        Overlay ow = new Overlay(w);
        ow.put(b("k"), b("1v1"));
        ow.put(b("k2"), b("v2"));
        assertThat(StateRoot.compute(ow)).isNotEqualTo(StateRoot.compute(x));
    }

    record Op(int kind, int key, int value) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        return net.jqwik.api.Combinators.combine(
                        Arbitraries.integers().between(0, 4),
                        Arbitraries.integers().between(0, 30),
                        Arbitraries.integers().between(0, 9))
                .as(Op::new)
                .list()
                .ofMaxSize(60);
    }

    /** Three layers (backend, block overlay, call overlays committed or dropped) read and scan like one sorted map. */
    @Property(tries = 300)
    void layeredOverlaysBehaveLikeAPlainSortedMap(@ForAll("ops") List<Op> ops) {
        MemoryBackend backend = new MemoryBackend();
        Overlay block = new Overlay(backend);
        Overlay call = block.child();
        TreeMap<String, String> committed = new TreeMap<>();
        TreeMap<String, String> pending = new TreeMap<>();
        for (Op op : ops) {
            String k = "p" + (op.key() % 3) + "/" + op.key();
            switch (op.kind()) {
                case 0, 1 -> {
                    call.put(b(k), b("" + op.value()));
                    pending.put(k, "" + op.value());
                }
                case 2 -> {
                    call.delete(b(k));
                    pending.put(k, null);
                }
                case 3 -> {
                    call.commit();
                    pending.forEach((kk, vv) -> {
                        if (vv == null) committed.remove(kk);
                        else committed.put(kk, vv);
                    });
                    pending.clear();
                    call = block.child();
                }
                default -> {
                    call = block.child();
                    pending.clear();
                }
            }
            if (op.value() == 9) {
                backend.apply(block.changes());
                block = new Overlay(backend);
                call = block.child();
                pending.clear();
            }
        }
        TreeMap<String, String> expected = new TreeMap<>(committed);
        pending.forEach((kk, vv) -> {
            if (vv == null) expected.remove(kk);
            else expected.put(kk, vv);
        });
        for (String prefix : List.of("", "p0", "p1/", "p2/2")) {
            Map<String, String> seen = new TreeMap<>();
            List<byte[]> order = new ArrayList<>();
            call.scan(b(prefix), (k, v) -> {
                seen.put(new String(k, StandardCharsets.UTF_8), new String(v, StandardCharsets.UTF_8));
                order.add(k);
                return true;
            });
            Map<String, String> want = new TreeMap<>(expected.subMap(prefix, prefix + "\uffff"));
            assertThat(seen).isEqualTo(want);
            for (int i = 1; i < order.size(); i++)
                assertThat(Arrays.compareUnsigned(order.get(i - 1), order.get(i)))
                        .isNegative();
        }
        for (int key = 0; key <= 30; key++) {
            String k = "p" + (key % 3) + "/" + key;
            byte[] got = call.get(b(k));
            assertThat(got == null ? null : new String(got, StandardCharsets.UTF_8))
                    .isEqualTo(expected.get(k));
        }
    }

    @Test
    void rootLengthPrefixesAreScaleCompact() {
        for (int n : new int[] {0, 1, 63, 64, 16383, 16384, (1 << 30) - 1, 1 << 30, Integer.MAX_VALUE}) {
            byte[] buf = new byte[5];
            int used = StateRoot.compactLength(n, buf);
            assertThat(Arrays.copyOf(buf, used))
                    .isEqualTo(
                            new dev.hyperj.chain.scale.ScaleWriter().compact(n).toByteArray());
        }
    }
}
