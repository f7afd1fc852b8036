package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static dev.hyperj.chain.math.U128.tensor;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Model.EpochEmission;
import dev.hyperj.chain.runtime.Model.NetFlow;
import dev.hyperj.chain.runtime.Model.Subnet;
import dev.hyperj.chain.runtime.Model.SubnetRemovalReason;
import dev.hyperj.chain.runtime.Model.SubnetState;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Issuance, subnet emission weights, epoch preliminaries and the block author reward. */
final class Emissions {
    private Emissions() {}

    static final BigInteger AUTHOR_REWARD_PER_YEAR = tensor(1000);
    static final BigInteger DEFAULT_OVERWATCH_WEIGHT = percent(50);
    static final BigInteger PAUSED_REPUTATION_FACTOR = U128.ONE_E18.divide(BigInteger.valueOf(8));
    static final BigInteger LESS_THAN_MIN_NODES_FACTOR = U128.ONE_E18.divide(BigInteger.valueOf(8));
    static final int MAX_SUBNET_REMOVAL_INTERVAL = 10;
    static final int MIN_SUBNET_REMOVAL_INTERVAL = 10;

    /** Yearly issuance: 75,000 + 25,000 / (1 + exp(7 (util - 0.5))) TENSOR, util = active nodes / (MaxSubnets * 256). */
    static BigInteger yearlyEmission(Ctx c, int activeNodes) {
        double util = Math.min(1.0, (double) activeNodes / ((double) c.p.maxSubnets() * c.p.maxSubnetNodes()));
        double tensors = 75_000.0 + 25_000.0 / (1.0 + StrictMath.exp(7.0 * (util - 0.5)));
        return U128.fromDouble(tensors * 1e6).multiply(BigInteger.TEN.pow(12));
    }

    static void authorReward(Ctx c, AccountId author) {
        if (author == null) return;
        Accounts.mintTo(c, author, AUTHOR_REWARD_PER_YEAR.divide(BigInteger.valueOf(NetworkParams.BLOCKS_PER_YEAR)));
    }

    /** Block % EpochLength == 0: per-subnet phase, pause and reputation checks. */
    static void epochPreliminaries(Ctx c) {
        long epoch = c.epoch();
        List<Subnet> subnets = new ArrayList<>();
        Store.SUBNETS.forEach(c.s, (id, s) -> subnets.add(s));
        for (Subnet s : subnets) {
            int id = s.id();
            switch (s.state()) {
                case Registered -> {
                    if (Subnets.pastEnactment(c, s)) {
                        Subnets.remove(c, id, SubnetRemovalReason.EnactmentPeriod);
                    } else if (Subnets.inEnactment(c, s) && Subnets.activeNodes(c, id) < c.p.minSubnetNodes()) {
                        Subnets.remove(c, id, SubnetRemovalReason.MinSubnetNodes);
                    }
                }
                case Paused -> {
                    if (epoch - s.pausedAtEpoch() > c.p.maxPauseEpochs()) {
                        BigInteger r = Rep.decrease(Subnets.reputation(c, id), PAUSED_REPUTATION_FACTOR);
                        Subnets.setReputation(c, id, r);
                        if (r.compareTo(c.p.minSubnetReputation()) < 0)
                            Subnets.remove(c, id, SubnetRemovalReason.PauseExpired);
                    }
                }
                case Active -> {
                    if (epoch % 2 == 0
                            && Store.SUBNET_POOL.get(c.s, id).balance().compareTo(Subnets.minDelegateStake(c, id))
                                    < 0) {
                        Subnets.remove(c, id, SubnetRemovalReason.MinSubnetDelegateStake);
                        continue;
                    }
                    if (epoch >= s.startEpoch()
                            && Subnets.electable(c, id, Long.MAX_VALUE).size() < c.p.minSubnetNodes()) {
                        Subnets.setReputation(
                                c, id, Rep.decrease(Subnets.reputation(c, id), LESS_THAN_MIN_NODES_FACTOR));
                    }
                    if (Subnets.reputation(c, id).compareTo(c.p.minSubnetReputation()) < 0)
                        Subnets.remove(c, id, SubnetRemovalReason.MinReputation);
                }
            }
        }
        // as the pallet: only on removal epochs, and not within MinSubnetRemovalInterval of the latest activation;
        // candidates are started Active subnets (ties: the lowest subnet id goes)
        boolean canRemove = epoch >= Store.PREV_ACTIVATION_EPOCH.get(c.s) + MIN_SUBNET_REMOVAL_INTERVAL;
        if (epoch % MAX_SUBNET_REMOVAL_INTERVAL == 0 && canRemove) {
            List<Integer> active = new ArrayList<>();
            Store.SUBNETS.forEach(c.s, (id, s) -> {
                if (s.state() == SubnetState.Active && s.startEpoch() <= epoch) active.add(id);
            });
            active.sort(null);
            if (Subnets.count(c) > c.p.maxSubnets() && !active.isEmpty()) {
                int weakest = active.get(0);
                for (int id : active) {
                    if (Store.SUBNET_POOL
                                    .get(c.s, id)
                                    .balance()
                                    .compareTo(
                                            Store.SUBNET_POOL.get(c.s, weakest).balance())
                            < 0) weakest = id;
                }
                Subnets.remove(c, weakest, SubnetRemovalReason.MaxSubnets);
            }
        }
    }

    /**
     * (block - 2) % EpochLength == 0: weights of Active, started subnets, the epoch's emission budget
     * and the treasury's share.
     */
    static void computeWeights(Ctx c) {
        long epoch = c.epoch();
        Map<Integer, BigInteger> stake = new LinkedHashMap<>();
        Map<Integer, Integer> nodes = new LinkedHashMap<>();
        Map<Integer, BigInteger> flow = new LinkedHashMap<>();
        int[] totalActive = {0};
        List<Integer> all = new ArrayList<>();
        Store.SUBNETS.forEach(c.s, (id, s) -> {
            all.add(id);
            int active = Subnets.activeNodes(c, id);
            totalActive[0] += active;
            if (s.state() == SubnetState.Active && epoch >= s.startEpoch()) {
                stake.put(id, Store.SUBNET_POOL.get(c.s, id).balance());
                nodes.put(id, Subnets.electable(c, id, epoch).size());
                NetFlow f = Store.NET_FLOW.get(c.s, id);
                flow.put(id, f.in().subtract(f.out()));
            }
        });
        BigInteger stakeSum = stake.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
        long nodeSum = nodes.values().stream().mapToLong(Integer::longValue).sum();
        BigInteger minFlow = flow.values().stream().min(BigInteger::compareTo).orElse(BigInteger.ZERO);
        BigInteger shiftedSum =
                flow.values().stream().map(f -> f.subtract(minFlow)).reduce(BigInteger.ZERO, BigInteger::add);
        long owEpoch = c.block / ((long) c.p.epochLength() * c.p.overwatchEpochLengthMultiplier());
        Map<Integer, Double> raw = new LinkedHashMap<>();
        double rawSum = 0;
        for (int id : stake.keySet()) {
            double stakeShare = stakeSum.signum() == 0 ? 0 : ratio(stake.get(id), stakeSum);
            double nodeShare = nodeSum == 0 ? 0 : (double) nodes.get(id) / nodeSum;
            double flowShare = shiftedSum.signum() == 0 ? 0 : ratio(flow.get(id).subtract(minFlow), shiftedSum);
            double w = Math.max(0, Math.min(1, 0.4 * stakeShare + 0.4 * nodeShare + 0.2 * flowShare));
            BigInteger ow = owEpoch == 0
                    ? DEFAULT_OVERWATCH_WEIGHT
                    : Store.OW_SUBNET_WEIGHTS.find(c.s, owEpoch - 1, id).orElse(DEFAULT_OVERWATCH_WEIGHT);
            w *= Math.min(1.0, U128.toRatio(ow));
            w = StrictMath.pow(w, 0.75);
            raw.put(id, w);
            rawSum += w;
        }
        for (int id : all) {
            Double w = raw.get(id);
            if (w == null || rawSum == 0 || w == 0) Store.SUBNET_WEIGHT.remove(c.s, id);
            else Store.SUBNET_WEIGHT.put(c.s, id, U128.fromRatio(w / rawSum));
            Store.NET_FLOW.remove(c.s, id);
        }
        BigInteger yearly = yearlyEmission(c, totalActive[0]);
        BigInteger epy = BigInteger.valueOf(c.p.epochsPerYear());
        BigInteger subnetShare = U128.percentMul(yearly, percent(80)).divide(epy);
        BigInteger treasuryShare = U128.percentMul(yearly, percent(20)).divide(epy);
        BigInteger capacitor = raw.isEmpty() ? BigInteger.ZERO : Store.CAPACITOR.get(c.s);
        if (!raw.isEmpty()) Store.CAPACITOR.put(c.s, BigInteger.ZERO);
        Store.EPOCH_EMISSION.put(
                c.s, new EpochEmission(epoch, raw.isEmpty() ? BigInteger.ZERO : subnetShare, capacitor));
        Accounts.mintTo(c, Ctx.TREASURY, treasuryShare);
    }

    private static double ratio(BigInteger a, BigInteger b) {
        return new java.math.BigDecimal(a)
                .divide(new java.math.BigDecimal(b), java.math.MathContext.DECIMAL64)
                .doubleValue();
    }
}
