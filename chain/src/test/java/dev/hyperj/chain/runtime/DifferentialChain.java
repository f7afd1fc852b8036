package dev.hyperj.chain.runtime;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.runtime.Model.EpochEmission;
import dev.hyperj.chain.storage.MemoryBackend;
import dev.hyperj.chain.storage.Overlay;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * HyperJ's runtime driven block by block beside Hypertensor's, for the differential tests in
 * {@code dev.hyperj.chain.substrate}: blocks at the heights the other chain used, and the few
 * inputs the two runtimes do not share set to the other chain's values (its emission budget and
 * subnet weight, computed by formulas the versions do not share; its elected node, drawn from
 * another randomness; its registration auction), the way Chopsticks' {@code dev_setStorage}
 * sets Hypertensor's state. Everything else is HyperJ's runtime as it runs.
 */
public final class DifferentialChain {
    public static final int EPOCH = 20;

    private final MemoryBackend backend = new MemoryBackend();
    private final InMemoryChain chain;
    private BlockResult last;

    public DifferentialChain(UnaryOperator<NetworkParams> params) {
        chain = new InMemoryChain(
                backend,
                GenesisConfig.dev(EPOCH)
                        .withParams(
                                params.apply(NetworkParams.defaults(EPOCH, Optional.of(DevAccounts.ALITH.account())))));
    }

    public NetworkReads reads() {
        return new NetworkReads(chain.state());
    }

    public long blockNumber() {
        return chain.blockNumber();
    }

    /** Empty blocks up to and including {@code number}. */
    public void advanceTo(long number) {
        while (chain.blockNumber() < number) last = chain.produce(List.of());
    }

    /** Empty blocks up to {@code number - 1}, then block {@code number} with these calls (in order). */
    public BlockResult blockAt(long number, List<SignedCall> calls) {
        if (number <= chain.blockNumber())
            throw new IllegalArgumentException("block " + number + " is past (at " + chain.blockNumber() + ")");
        advanceTo(number - 1);
        last = chain.produce(calls);
        return last;
    }

    public BlockResult blockAt(long number, AccountId origin, Call call) {
        return blockAt(number, List.of(new SignedCall(origin, call)));
    }

    /** The last block's events of one type. */
    public <E extends Event> List<E> events(Class<E> type) {
        List<E> out = new ArrayList<>();
        if (last != null) for (Event e : last.events()) if (type.isInstance(e)) out.add(type.cast(e));
        return out;
    }

    /** A subnet's node as the runtime holds it (queued nodes included). */
    public Optional<Model.SubnetNode> node(int subnetId, int nodeId) {
        return Store.NODES.find(chain.state(), subnetId, nodeId);
    }

    /** A node's stake (it outlives the node). */
    public BigInteger stake(int subnetId, int nodeId) {
        return Store.NODE_STAKE
                .find(chain.state(), subnetId, nodeId)
                .map(Model.NodeStake::amount)
                .orElse(BigInteger.ZERO);
    }

    /** The general epoch's budget for subnets and this subnet's weight in it, as the other chain computed them. */
    public void setEmission(long epoch, BigInteger subnetEmissions, int subnetId, BigInteger weight) {
        write(o -> {
            Store.EPOCH_EMISSION.put(o, new EpochEmission(epoch, subnetEmissions, BigInteger.ZERO));
            Store.SUBNET_WEIGHT.put(o, subnetId, weight);
        });
    }

    /** The node elected for a subnet epoch, as the other chain drew it. */
    public void setElected(int subnetId, long subnetEpoch, int nodeId) {
        write(o -> Store.ELECTED.put(o, subnetId, subnetEpoch, nodeId));
    }

    /** The auction's state: the last price (before the multiplier) and the block it was paid at. */
    public void setRegistrationAuction(BigInteger lastCost, long lastBlock) {
        write(o -> {
            Store.LAST_REGISTRATION_COST.put(o, lastCost);
            Store.LAST_REGISTRATION_BLOCK.put(o, lastBlock);
        });
    }

    private void write(Consumer<Overlay> change) {
        Overlay o = new Overlay(backend);
        change.accept(o);
        backend.apply(o.changes());
    }
}
