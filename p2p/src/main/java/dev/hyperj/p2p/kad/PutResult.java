package dev.hyperj.p2p.kad;

/**
 * Outcome of a PUT_VALUE: {@code acks} of the {@code targets} closest peers confirmed storing the
 * record (the local store holds it as well).
 */
public record PutResult(int acks, int targets, LookupStats stats) {}
