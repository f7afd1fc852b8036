package dev.hyperj.chain.storage;

/** Read access to a sorted key-value state (keys ordered as unsigned bytes). */
public interface StateView {
    /** The value at {@code key}, or null. The returned array must not be modified. */
    byte[] get(byte[] key);

    /** Visits every entry whose key starts with {@code prefix}, in ascending key order, until the visitor returns false. */
    void scan(byte[] prefix, Visitor visitor);

    @FunctionalInterface
    interface Visitor {
        /** @return false to stop the scan */
        boolean visit(byte[] key, byte[] value);
    }
}
