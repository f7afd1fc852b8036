package dev.hyperj.chain.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.runtime.NetworkError;
import dev.hyperj.chain.storage.StateRoot;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.chain.tx.Transaction;
import dev.hyperj.chain.tx.TxException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChainNodeTest {
    static final Secp256k1 ALITH = Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey());
    static final Secp256k1 BALTATHAR = Secp256k1.fromPrivateKey(DevAccounts.BALTATHAR.privateKey());

    @TempDir
    Path dir;

    private static Transaction transfer(ChainNode n, Secp256k1 from, long nonce, BigInteger amount) {
        return Transaction.sign(
                from, n.chainId(), n.genesisHash(), nonce, new Call.Transfer(DevAccounts.CHARLETH.account(), amount));
    }

    @Test
    void instantSealIncludesTransactionsInNonceOrderAndRefusesReplays() throws Exception {
        try (ChainNode n = ChainNode.start(
                NodeConfig.dev(20).withBasePath(dir).withInstantSeal(true).withPoolBounds(100, 4))) {
            BigInteger before = n.read(r -> r.freeBalance(DevAccounts.CHARLETH.account()));
            // nonce 1 first: held as a future transaction until nonce 0 arrives
            CompletableFuture<Included> second = n.submit(transfer(n, ALITH, 1, U128.tensor(2)));
            assertThat(n.pendingCount()).isEqualTo(1);
            assertThat(n.nextNonce(ALITH.account())).isZero();
            Included first = n.submit(transfer(n, ALITH, 0, U128.tensor(1))).get(30, TimeUnit.SECONDS);
            Included then = second.get(30, TimeUnit.SECONDS);
            assertThat(first.result().ok()).isTrue();
            assertThat(then.blockNumber()).isGreaterThanOrEqualTo(first.blockNumber());
            BigInteger after = n.read(r -> r.freeBalance(DevAccounts.CHARLETH.account()));
            assertThat(after).isEqualTo(before.add(U128.tensor(3)));
            assertThat(n.nextNonce(ALITH.account())).isEqualTo(2);
            // replay of nonce 0, a nonce too far ahead, another chain, a forged signature
            assertThatThrownBy(() -> n.submit(transfer(n, ALITH, 0, U128.tensor(1))))
                    .isInstanceOf(TxException.class)
                    .satisfies(e -> assertThat(((TxException) e).reason()).isEqualTo(TxException.Reason.StaleNonce));
            assertThatThrownBy(() -> n.submit(transfer(n, ALITH, 6, U128.tensor(1))))
                    .satisfies(
                            e -> assertThat(((TxException) e).reason()).isEqualTo(TxException.Reason.FutureNonceLimit));
            Transaction other =
                    Transaction.sign(ALITH, "another-chain", n.genesisHash(), 2, new Call.ClaimUnbondings());
            assertThatThrownBy(() -> n.submit(other))
                    .satisfies(e -> assertThat(((TxException) e).reason()).isEqualTo(TxException.Reason.WrongChain));
            Transaction t = transfer(n, BALTATHAR, 0, U128.tensor(1));
            Transaction forged =
                    new Transaction(t.chainId(), t.genesisHash(), ALITH.account(), 2, t.call(), t.signature());
            assertThatThrownBy(() -> n.submit(forged))
                    .satisfies(e -> assertThat(((TxException) e).reason()).isEqualTo(TxException.Reason.BadSignature));
            // a runtime error is a result, not a refusal; the nonce is still used
            Included failed = n.submit(transfer(n, BALTATHAR, 0, U128.tensor(1_000_000_000)))
                    .get(30, TimeUnit.SECONDS);
            assertThat(failed.result().error()).isPresent();
            assertThat(failed.result().error().get())
                    .isIn(NetworkError.InsufficientBalance, NetworkError.NotEnoughBalance);
            assertThat(n.nextNonce(BALTATHAR.account())).isEqualTo(1);
        }
    }

    @Test
    void restartResumesFromTheLastBlockWithTheSameStateRoot() throws Exception {
        NodeConfig cfg = NodeConfig.dev(20).withBasePath(dir).withInstantSeal(true);
        long number;
        byte[] root;
        try (ChainNode n = ChainNode.start(cfg)) {
            n.submit(transfer(n, ALITH, 0, U128.tensor(1))).get(30, TimeUnit.SECONDS);
            number = n.produceBlocks(3);
            root = n.bestHeader().stateRoot();
            assertThat(StateRoot.compute(n.store().state())).isEqualTo(root);
        }
        try (ChainNode n = ChainNode.start(cfg)) {
            assertThat(n.bestHeader().number()).isEqualTo(number);
            assertThat(n.bestHeader().stateRoot()).isEqualTo(root);
            assertThat(StateRoot.compute(n.store().state())).isEqualTo(root);
            assertThat(n.nextNonce(ALITH.account())).isEqualTo(1);
            assertThat(n.produceBlocks(1)).isEqualTo(number + 1);
        }
        // a different genesis on the same directory is refused with a clear message
        assertThatThrownBy(() -> ChainNode.start(cfg.withGenesis(dev.hyperj.chain.runtime.GenesisConfig.dev(30))))
                .hasMessageContaining("holds another chain");
    }

    @Test
    void timerProducesBlocksAndTemporaryDirectoryIsDeleted() throws Exception {
        Path tmp;
        try (ChainNode n = ChainNode.start(NodeConfig.dev(20).withBlockTimeMs(50))) {
            CompletableFuture<Long> third = new CompletableFuture<>();
            n.onBlock(b -> {
                if (b.header().number() >= 3) third.complete(b.header().number());
            });
            assertThat(third.get(30, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(3);
            tmp = n.directory();
            assertThat(tmp.resolve("db")).isDirectory();
        }
        assertThat(tmp).doesNotExist();
    }
}
