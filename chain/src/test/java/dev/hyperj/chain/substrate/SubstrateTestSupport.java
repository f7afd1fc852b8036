package dev.hyperj.chain.substrate;

import dev.hyperj.chain.crypto.AccountId;
import java.math.BigInteger;
import java.util.Map;

final class SubstrateTestSupport {
    private SubstrateTestSupport() {}

    /** An account's free balance, from System.Account. */
    static BigInteger free(SubstrateNode node, AccountId a) {
        Map<?, ?> info = (Map<?, ?>) node.storageOrDefault("System", "Account", a);
        return (BigInteger) ((Map<?, ?>) info.get("data")).get("free");
    }
}
