package dev.hyperj.chain.client;

import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.node.Included;
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
import dev.hyperj.chain.tx.Transaction;
import dev.hyperj.chain.tx.TxException;
import dev.hyperj.p2p.bytes.Bytes;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** {@link ChainClient} over an in-process node: same checks as over RPC (signing, nonces, pool), no sockets. */
final class EmbeddedChainClient implements ChainClient {
    private final ChainNode node;
    private final Nonces nonces = new Nonces();

    EmbeddedChainClient(ChainNode node) {
        this.node = node;
    }

    public String chainId() {
        return node.chainId();
    }

    public byte[] genesisHash() {
        return node.genesisHash();
    }

    public BlockHeader bestHeader() {
        return open(node::bestHeader);
    }

    public Optional<BlockHeader> header(long number) {
        return open(() -> node.store().header(number));
    }

    /** A read of the node; once the node is closed it is a {@link ChainClientException}, as over RPC. */
    private <T> T read(java.util.function.Function<dev.hyperj.chain.runtime.NetworkReads, T> f) {
        return open(() -> node.read(f));
    }

    private <T> T open(java.util.function.Supplier<T> f) {
        if (node.isClosed()) throw new ChainClientException(0, "the chain node is closed");
        try {
            return f.get();
        } catch (IllegalStateException e) {
            if (node.isClosed()) throw new ChainClientException(0, "the chain node is closed");
            throw e;
        }
    }

    public EpochInfo epochInfo() {
        return read(r -> new EpochInfo(
                r.blockNumber(), r.epoch(), r.params().epochLength(), r.params().overwatchEpochLengthMultiplier()));
    }

    public long subnetEpoch(int subnetId) {
        return read(r -> r.subnetEpoch(subnetId));
    }

    public BigInteger balance(AccountId a) {
        return read(r -> r.freeBalance(a));
    }

    public Map<Long, BigInteger> unbondings(AccountId a) {
        return read(r -> r.unbondings(a));
    }

    public long nextNonce(AccountId a) {
        return open(() -> node.nextNonce(a));
    }

    public BigInteger registrationCost() {
        return read(r -> r.registrationCost());
    }

    public Optional<SubnetInfo> subnet(int id) {
        return read(r -> r.getSubnetInfo(id));
    }

    public List<SubnetInfo> subnets() {
        return read(r -> r.getAllSubnetsInfo());
    }

    public Optional<SubnetNodeInfo> subnetNode(int s, int n) {
        return read(r -> r.getSubnetNodeInfo(s, n));
    }

    public List<SubnetNodeInfo> subnetNodes(int s) {
        return read(r -> r.getSubnetNodesInfo(s));
    }

    public Map<Integer, List<SubnetNodeInfo>> allSubnetNodes() {
        return read(r -> r.getAllSubnetNodesInfo());
    }

    public Map<String, Optional<Bytes>> bootnodes(int s) {
        return read(r -> r.getBootnodes(s));
    }

    public List<SubnetNodeInfo> validatorSubnetNodes(int v) {
        return read(r -> r.getValidatorSubnetNodesInfo(v));
    }

    public Optional<ValidatorInfo> validator(int v) {
        return read(r -> r.getValidatorInfo(v));
    }

    public Optional<Integer> validatorIdOf(AccountId coldkey) {
        return read(r -> r.validatorIdOf(coldkey));
    }

    public List<ValidatorStake> validatorStakes(int v) {
        return read(r -> r.getValidatorStakes(v));
    }

    public List<DelegateStake> delegateStakes(AccountId a) {
        return read(r -> r.getDelegateStakes(a));
    }

    public Optional<ElectedValidatorInfo> electedValidator(int s, long e) {
        return read(r -> r.getElectedValidatorInfo(s, e));
    }

    public Optional<ValidatorsAndAttestors> validatorsAndAttestors(int s, long e) {
        return read(r -> r.getValidatorsAndAttestors(s, e));
    }

    public List<OverwatchNodeInfo> overwatchNodes() {
        return read(r -> r.getAllOverwatchNodesInfo());
    }

    public Map<Integer, Bytes> overwatchCommits(long e, int id) {
        return read(r -> r.getOverwatchCommitsForEpochAndNode(e, id));
    }

    public Map<Integer, BigInteger> overwatchReveals(long e, int id) {
        return read(r -> r.getOverwatchRevealsForEpochAndNode(e, id));
    }

    public boolean proofOfStake(int s, String peerId, NodeClass minClass, Optional<BigInteger> minStake) {
        return read(r -> r.proofOfStake(s, peerId, minClass, minStake));
    }

    public AutoCloseable subscribeNewHeads(Consumer<BlockHeader> listener) {
        return node.onBlock(b -> listener.accept(b.header()));
    }

    public CompletableFuture<TxResult> submit(Signer signer, Call call) {
        long nonce;
        try {
            nonce = nonces.take(signer.account(), a -> open(() -> node.nextNonce(a)));
        } catch (ChainClientException e) {
            return CompletableFuture.failedFuture(e);
        }
        try {
            CompletableFuture<Included> inc =
                    node.submit(Transaction.sign(signer, node.chainId(), node.genesisHash(), nonce, call));
            // a dropped transaction frees its nonce: the next submit asks the node again and fills the gap
            inc.whenComplete((r, e) -> {
                if (e != null) nonces.reset(signer.account());
            });
            return inc.thenApply(EmbeddedChainClient::result);
        } catch (TxException e) {
            nonces.reset(signer.account());
            return CompletableFuture.failedFuture(e);
        }
    }

    static TxResult result(Included inc) {
        return new TxResult(
                inc.blockNumber(),
                inc.blockHash(),
                inc.txHash(),
                inc.result().error().map(Enum::name),
                inc.result().error().map(ErrorHints::describe),
                inc.result().events());
    }

    public void close() {
        // the node belongs to whoever started it
    }
}
