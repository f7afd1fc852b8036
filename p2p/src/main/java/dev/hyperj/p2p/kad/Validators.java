package dev.hyperj.p2p.kad;

import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The record validators of a DHT node, by namespace: a key "/ns/rest" belongs to namespace "ns".
 * Keys without a registered namespace are rejected, as in go-libp2p's namespaced validator, so a
 * node never stores records nobody can check. The "pk" namespace is built in.
 */
public final class Validators {
    /** Namespaces are short ASCII names; longer ones are malformed keys. */
    static final int MAX_NAMESPACE = 64;

    private final Map<String, RecordValidator> byNamespace;
    private final Map<String, RecordValidator> late;

    private Validators(Map<String, RecordValidator> byNamespace, Map<String, RecordValidator> late) {
        this.byNamespace = Map.copyOf(byNamespace);
        this.late = late;
    }

    /** Only the built-in "pk" namespace. */
    public static Validators defaults() {
        return builder().build();
    }

    /** A builder already holding "pk". */
    public static Builder builder() {
        return new Builder();
    }

    public Set<String> namespaces() {
        if (late.isEmpty()) return byNamespace.keySet();
        Set<String> all = new java.util.TreeSet<>(byNamespace.keySet());
        all.addAll(late.keySet());
        return all;
    }

    /**
     * Registers the validator of {@code namespace} on a running DHT (the built ones win): for
     * applications that set up after their node built its DHT. Throws if the namespace is taken.
     */
    public void registerLate(String namespace, RecordValidator validator) {
        Objects.requireNonNull(validator, "validator");
        checkNamespace(namespace);
        if (byNamespace.containsKey(namespace) || late.putIfAbsent(namespace, validator) != null)
            throw new IllegalStateException("namespace '" + namespace + "' already has a validator");
    }

    private static void checkNamespace(String namespace) {
        if (namespace.isEmpty()
                || namespace.length() > MAX_NAMESPACE
                || !namespace.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != '/')) {
            throw new IllegalArgumentException("bad namespace: '" + namespace + "'");
        }
    }

    /** Throws {@link InvalidRecordException} unless the record is valid in its namespace. */
    public void validate(byte[] key, byte[] value) {
        validatorFor(key).validate(key, value);
    }

    /** The index of the best of {@code values} for {@code key} (each must be valid). */
    public int select(byte[] key, List<byte[]> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("nothing to select from");
        }
        int i = validatorFor(key).select(key, values);
        if (i < 0 || i >= values.size()) {
            throw new IllegalStateException("validator selected index " + i + " of " + values.size());
        }
        return i;
    }

    /** Throws {@link InvalidRecordException} unless {@code key}'s namespace has a validator. */
    void requireNamespace(byte[] key) {
        validatorFor(key);
    }

    private RecordValidator validatorFor(byte[] key) {
        String ns = namespace(key);
        RecordValidator v = byNamespace.get(ns);
        if (v == null) v = late.get(ns);
        if (v == null) {
            throw new InvalidRecordException("no validator for namespace '" + ns + "'");
        }
        return v;
    }

    /** The namespace of "/ns/rest", or throws {@link InvalidRecordException}. */
    static String namespace(byte[] key) {
        if (key.length < 3 || key[0] != '/') {
            throw new InvalidRecordException("record key does not start with /namespace/");
        }
        int end = -1;
        for (int i = 1; i < Math.min(key.length, MAX_NAMESPACE + 2); i++) {
            if (key[i] == '/') {
                end = i;
                break;
            }
            if (key[i] < 0x21 || key[i] > 0x7e) {
                throw new InvalidRecordException("record key namespace is not printable ASCII");
            }
        }
        if (end <= 1) {
            throw new InvalidRecordException("record key has no /namespace/ prefix");
        }
        return new String(key, 1, end - 1, StandardCharsets.US_ASCII);
    }

    /** The DHT key of {@code peer}'s public key record: "/pk/" + peer id bytes. */
    public static byte[] publicKeyRecordKey(PeerId peer) {
        byte[] id = peer.bytes();
        byte[] key = new byte[4 + id.length];
        System.arraycopy("/pk/".getBytes(StandardCharsets.US_ASCII), 0, key, 0, 4);
        System.arraycopy(id, 0, key, 4, id.length);
        return key;
    }

    /**
     * The "pk" validator: the key is "/pk/" + a peer id, the value a marshalled libp2p public key
     * from which that peer id derives (a sha256 multihash of it, or the identity multihash).
     */
    public static RecordValidator publicKey() {
        return PublicKeyValidator.INSTANCE;
    }

    private enum PublicKeyValidator implements RecordValidator {
        INSTANCE;

        @Override
        public void validate(byte[] key, byte[] value) {
            PeerId claimed;
            PublicKey publicKey;
            try {
                claimed = PeerId.fromBytes(Arrays.copyOfRange(key, 4, key.length));
                publicKey = Keys.unmarshalPublicKey(value);
            } catch (IllegalArgumentException e) {
                throw new InvalidRecordException("malformed /pk/ record: " + e.getMessage(), e);
            }
            if (!namespace(key).equals("pk")) {
                throw new InvalidRecordException("not a /pk/ key");
            }
            if (!PeerId.fromPublicKey(publicKey).equals(claimed)) {
                throw new InvalidRecordException("public key does not hash to peer id " + claimed);
            }
        }

        @Override
        public String toString() {
            return "pk";
        }
    }

    public static final class Builder {
        private final Map<String, RecordValidator> byNamespace = new LinkedHashMap<>();

        private Builder() {
            byNamespace.put("pk", PublicKeyValidator.INSTANCE);
        }

        /** Registers (or replaces) the validator of {@code namespace} (without slashes). */
        public Builder register(String namespace, RecordValidator validator) {
            Objects.requireNonNull(validator, "validator");
            checkNamespace(namespace);
            byNamespace.put(namespace, validator);
            return this;
        }

        public Validators build() {
            return new Validators(byNamespace, new java.util.concurrent.ConcurrentHashMap<>());
        }
    }
}
