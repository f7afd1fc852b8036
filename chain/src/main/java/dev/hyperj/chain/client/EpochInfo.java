package dev.hyperj.chain.client;

/** Where the chain is in time: block, general epoch, epoch length and the overwatch multiplier. */
public record EpochInfo(long blockNumber, long epoch, int epochLength, int overwatchEpochLengthMultiplier) {}
