package dev.hyperj.chain.substrate;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model;
import dev.hyperj.chain.runtime.TestPeers;
import dev.hyperj.p2p.bytes.Bytes;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One instance of every HyperJ {@link Call}, every field filled (an {@code Optional} present, a
 * list or map with one entry), built by reflection so a call added to HyperJ is covered at once.
 */
final class CallSamples {
    static final AccountId ACCOUNT =
            AccountId.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20});

    private CallSamples() {}

    static List<Call> all() {
        List<Call> out = new ArrayList<>();
        for (Class<?> c : Call.class.getPermittedSubclasses()) out.add((Call) sample(c));
        return out;
    }

    private static Object sample(Type t) {
        if (t instanceof ParameterizedType p) {
            Class<?> raw = (Class<?>) p.getRawType();
            Type[] a = p.getActualTypeArguments();
            if (raw == Optional.class) return Optional.of(sample(a[0]));
            if (raw == List.class) return List.of(sample(a[0]));
            if (raw == Map.class) return Map.of(sample(a[0]), sample(a[1]));
            throw new IllegalArgumentException("no sample of " + t);
        }
        Class<?> c = (Class<?>) t;
        if (c == int.class || c == Integer.class) return 7;
        if (c == long.class) return 7L;
        if (c == boolean.class) return true;
        if (c == BigInteger.class) return BigInteger.TEN.pow(17);
        if (c == String.class) return TestPeers.peerId(3);
        if (c == AccountId.class) return ACCOUNT;
        if (c == Bytes.class) return Bytes.of(new byte[32]);
        if (c == Model.PeerInfo.class)
            return new Model.PeerInfo(TestPeers.peerId(4), Optional.of(TestPeers.multiaddr(4001)));
        if (c.isEnum()) return c.getEnumConstants()[0];
        if (c.isRecord()) {
            RecordComponent[] rc = c.getRecordComponents();
            Object[] args =
                    Arrays.stream(rc).map(r -> sample(r.getGenericType())).toArray();
            try {
                return c.getDeclaredConstructor(
                                Arrays.stream(rc).map(RecordComponent::getType).toArray(Class<?>[]::new))
                        .newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(c + ": " + e, e);
            }
        }
        throw new IllegalArgumentException("no sample of " + t);
    }
}
