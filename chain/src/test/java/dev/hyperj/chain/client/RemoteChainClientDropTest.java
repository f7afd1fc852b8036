package dev.hyperj.chain.client;

import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.rpc.ChainJson;
import dev.hyperj.chain.runtime.Call;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The 60 s hang after a node died, made deterministic: a scripted JSON-RPC server holds chosen
 * calls unanswered, so that when it drops the connection one submit waits for its transaction's
 * subscription and another waits for its nonce, the state in which failing the first used to block
 * the connection's thread on the nonce lock that the second held.
 */
class RemoteChainClientDropTest {
    @Test
    @Timeout(60)
    void submitsWaitingForTheirNonceAndForTheirBlockBothFailAtOnceWhenTheConnectionDrops() throws Exception {
        try (ScriptedRpcServer s = new ScriptedRpcServer()) {
            s.answer("system_chain", "hyperj-dev");
            s.answer("chain_getGenesisHash", ChainJson.hex(new byte[32]));
            s.answer("system_accountNextIndex", 0);
            try (RemoteChainClient c = RemoteChainClient.connect(s.uri())) {
                // the first submit gets its nonce, then waits for the node's subscription id, held
                CompletableFuture<TxResult> watching =
                        c.submit(TestChain.ALITH, new Call.Transfer(DevAccounts.BALTATHAR.account(), tensor(1)));
                s.awaitCall("author_submitAndWatchExtrinsic");
                // the second waits inside the nonce hand-out for the node's answer, held too
                s.hold("system_accountNextIndex");
                CompletableFuture<TxResult> nonceWaiting = CompletableFuture.supplyAsync(
                        () -> c.submit(TestChain.ALITH, new Call.Transfer(DevAccounts.CHARLETH.account(), tensor(1)))
                                .join(),
                        r -> Thread.ofVirtual().start(r));
                s.awaitCall("system_accountNextIndex");

                long dropped = System.nanoTime();
                s.drop();
                for (CompletableFuture<TxResult> f : List.of(watching, nonceWaiting)) {
                    try {
                        f.get(10, TimeUnit.SECONDS);
                        throw new AssertionError("a submit succeeded on a dropped connection");
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException ce
                                ? ce.getCause()
                                : e.getCause();
                        assertThat(cause)
                                .isInstanceOf(ChainClientException.class)
                                .hasMessageContaining("lost the connection");
                    }
                }
                assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - dropped))
                        .as("seconds until both failed")
                        .isLessThan(5);
            }
        }
    }
}
