package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * The initial state as data: funded accounts, network parameters, the overwatch whitelist and the
 * overwatch qualification thresholds (the pallet's OverwatchMinRepScore, OverwatchMinDiversificationRatio
 * and OverwatchMinAvgAttestationRatio storage values).
 */
public record GenesisConfig(
        NetworkParams params,
        List<Balance> balances,
        List<AccountId> overwatchWhitelist,
        OverwatchQualification overwatchQualification) {
    public record Balance(AccountId account, BigInteger free) {}

    /**
     * What a validator needs to register an overwatch node, besides whitelist, age and stake: a
     * reputation score, a share of active subnets with a Validator-class node, and an average
     * attestation ratio (fixed point, 1e18 = 100%).
     */
    public record OverwatchQualification(
            BigInteger minScore, BigInteger minDiversification, BigInteger minAvgAttestation) {
        /** Hypertensor's defaults: score 0.75, diversification 25%, average attestation 72%. */
        public static final OverwatchQualification DEFAULTS =
                new OverwatchQualification(U128.percent(75), U128.percent(25), U128.percent(72));

        public OverwatchQualification {
            for (BigInteger v : List.of(minScore, minDiversification, minAvgAttestation))
                if (v.signum() < 0 || v.compareTo(U128.ONE_E18) > 0)
                    throw new IllegalArgumentException("overwatch thresholds lie in [0, 1e18]: " + v);
        }
    }

    public GenesisConfig {
        if (params == null) {
            throw new IllegalArgumentException("genesis needs \"params\" (the network parameters)");
        }
        // absent lists are empty: a genesis with no funded account or no overwatcher is valid
        balances = balances == null ? List.of() : List.copyOf(balances);
        overwatchWhitelist = overwatchWhitelist == null ? List.of() : List.copyOf(overwatchWhitelist);
        // absent (e.g. a genesis file written before the setting existed): Hypertensor's defaults
        if (overwatchQualification == null) overwatchQualification = OverwatchQualification.DEFAULTS;
    }

    public GenesisConfig(NetworkParams params, List<Balance> balances, List<AccountId> overwatchWhitelist) {
        this(params, balances, overwatchWhitelist, OverwatchQualification.DEFAULTS);
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
        return new GenesisConfig(p, balances, overwatchWhitelist, overwatchQualification);
    }

    public GenesisConfig withBalances(List<Balance> b) {
        return new GenesisConfig(params, b, overwatchWhitelist, overwatchQualification);
    }

    public GenesisConfig withOverwatchWhitelist(List<AccountId> w) {
        return new GenesisConfig(params, balances, w, overwatchQualification);
    }

    /** Other overwatch thresholds (dev networks lower them so that young validators qualify). */
    public GenesisConfig withOverwatchQualification(OverwatchQualification q) {
        return new GenesisConfig(params, balances, overwatchWhitelist, q);
    }
}
