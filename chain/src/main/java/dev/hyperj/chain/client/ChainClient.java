package dev.hyperj.chain.client;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.Model.NodeClass;
import dev.hyperj.chain.runtime.NetworkReads.DelegateStake;
import dev.hyperj.chain.runtime.NetworkReads.ElectedValidatorInfo;
import dev.hyperj.chain.runtime.NetworkReads.OverwatchNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetInfo;
import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorInfo;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorStake;
import dev.hyperj.chain.runtime.NetworkReads.ValidatorsAndAttestors;
import dev.hyperj.chain.tx.Signer;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One Java API to a HyperJ chain: the {@code network_*} reads, new-head subscriptions and signed
 * calls. {@link #embedded} talks to an in-process {@link ChainNode}; {@link #connect} to a node's
 * JSON-RPC over WebSocket. Both behave the same (one test suite runs against both).
 *
 * <p>Reads throw {@link ChainClientException} when the node cannot answer. {@link #submit} signs
 * with the signer's next nonce; its future completes when the transaction is in a block (the
 * result says whether the call succeeded), or fails with a {@link dev.hyperj.chain.tx.TxException}
 * when the node refused it.
 */
public interface ChainClient extends AutoCloseable {
    static ChainClient embedded(ChainNode node) {
        return new EmbeddedChainClient(node);
    }

    /**
     * Connects to a node's RPC, e.g. {@code ws://127.0.0.1:9944}, asking the node what it is first: a
     * Substrate node (it answers {@code state_getRuntimeVersion}) gets the Hypertensor client, which
     * refuses a runtime it does not know; HyperJ's own node (it does not answer that) the remote one.
     */
    static ChainClient connect(URI uri) {
        if (dev.hyperj.chain.substrate.HypertensorChainClient.specName(uri).isPresent())
            return dev.hyperj.chain.substrate.HypertensorChainClient.connect(uri);
        return RemoteChainClient.connect(uri);
    }

    String chainId();

    byte[] genesisHash();

    BlockHeader bestHeader();

    default long blockNumber() {
        return bestHeader().number();
    }

    Optional<BlockHeader> header(long number);

    EpochInfo epochInfo();

    long subnetEpoch(int subnetId);

    BigInteger balance(AccountId account);

    Map<Long, BigInteger> unbondings(AccountId account);

    /** The nonce the account's next transaction must carry (including its pending ones). */
    long nextNonce(AccountId account);

    BigInteger registrationCost();

    Optional<SubnetInfo> subnet(int subnetId);

    List<SubnetInfo> subnets();

    Optional<SubnetNodeInfo> subnetNode(int subnetId, int subnetNodeId);

    List<SubnetNodeInfo> subnetNodes(int subnetId);

    Map<Integer, List<SubnetNodeInfo>> allSubnetNodes();

    Map<String, Optional<Bytes>> bootnodes(int subnetId);

    List<SubnetNodeInfo> validatorSubnetNodes(int validatorId);

    Optional<ValidatorInfo> validator(int validatorId);

    Optional<Integer> validatorIdOf(AccountId coldkey);

    List<ValidatorStake> validatorStakes(int validatorId);

    List<DelegateStake> delegateStakes(AccountId account);

    Optional<ElectedValidatorInfo> electedValidator(int subnetId, long subnetEpoch);

    Optional<ValidatorsAndAttestors> validatorsAndAttestors(int subnetId, long subnetEpoch);

    List<OverwatchNodeInfo> overwatchNodes();

    Map<Integer, Bytes> overwatchCommits(long overwatchEpoch, int overwatchNodeId);

    Map<Integer, BigInteger> overwatchReveals(long overwatchEpoch, int overwatchNodeId);

    boolean proofOfStake(int subnetId, String peerId, NodeClass minClass, Optional<BigInteger> minStake);

    /** Calls {@code listener} with every new best header until the returned handle is closed. */
    AutoCloseable subscribeNewHeads(Consumer<BlockHeader> listener);

    /**
     * Signs {@code call} with the signer's next nonce and submits it. The remote client keeps at most
     * 56 of its transactions waiting for their block (the node allows 64 subscriptions per
     * connection) and makes further submits wait for a slot.
     */
    CompletableFuture<TxResult> submit(Signer signer, Call call);

    @Override
    void close();
}
