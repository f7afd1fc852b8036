package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;

/** A call and the account that signed it (signature checking is the block producer's job). */
public record SignedCall(AccountId origin, Call call) {}
