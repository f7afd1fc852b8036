package dev.hyperj.chain.client;

import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.rpc.RpcServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on a node's view of a {@link SharedChain} over real JSON-RPC: a view must behave as a
 * client of one's own (reads, heads, nonces, transactions, their events), although its reads and
 * heads are shared with other views.
 */
class SharedChainContractTest extends ChainClientContract {
    private ChainNode node;
    private RpcServer server;
    private RemoteChainClient upstream;
    private RemoteChainClient submitter;
    private SharedChain shared;
    private ChainClient view;

    @BeforeAll
    void start() {
        node = ChainNode.start(TestChain.instantSeal());
        server = RpcServer.start(node, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults());
        URI uri = URI.create("ws://127.0.0.1:" + server.port());
        upstream = (RemoteChainClient) ChainClient.connect(uri);
        submitter = (RemoteChainClient) ChainClient.connect(uri);
        shared = SharedChain.over(upstream);
        shared.client(submitter).close(); // another node's view, come and gone: ours is unaffected
        view = shared.client(submitter);
    }

    @AfterAll
    void stop() {
        view.close();
        shared.close();
        submitter.close();
        upstream.close();
        server.close();
        node.close();
    }

    @Override
    ChainClient client() {
        return view;
    }

    /** Produces, then waits until the view announced the block: its reads answer as of announced blocks. */
    @Override
    long produce(int count) {
        long best = upstream.produceBlocks(count);
        try {
            shared.announced(best, java.time.Duration.ofSeconds(30)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return best;
    }
}
