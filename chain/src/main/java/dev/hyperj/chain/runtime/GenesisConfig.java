package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/** The initial state as data: funded accounts, network parameters, the overwatch whitelist. */
public record GenesisConfig(NetworkParams params, List<Balance> balances, List<AccountId> overwatchWhitelist) {
    public record Balance(AccountId account, BigInteger free) {}

    public GenesisConfig {
        if (params == null) {
            throw new IllegalArgumentException("genesis needs \"params\" (the network parameters)");
        }
        // absent lists are empty: a genesis with no funded account or no overwatcher is valid
        balances = balances == null ? List.of() : List.copyOf(balances);
        overwatchWhitelist = overwatchWhitelist == null ? List.of() : List.copyOf(overwatchWhitelist);
    }

    /** Funds every dev account with this much at genesis (10 million TENSOR). */
    public static final BigInteger DEV_BALANCE = U128.tensor(10_000_000);

    /** A dev chain: EpochLength 20, dev accounts funded, Alith as the collective (sudo) account. */
    public static GenesisConfig dev() {
        return dev(20);
    }

    public static GenesisConfig dev(int epochLength) {
        return new GenesisConfig(
                NetworkParams.defaults(epochLength, Optional.of(DevAccounts.ALITH.account())),
                DevAccounts.all().stream().map(a -> new Balance(a, DEV_BALANCE)).toList(),
                List.of());
    }

    public GenesisConfig withParams(NetworkParams p) {
        return new GenesisConfig(p, balances, overwatchWhitelist);
    }

    public GenesisConfig withBalances(List<Balance> b) {
        return new GenesisConfig(params, b, overwatchWhitelist);
    }

    public GenesisConfig withOverwatchWhitelist(List<AccountId> w) {
        return new GenesisConfig(params, balances, w);
    }
}
