package dev.hyperj.chain.client;

import dev.hyperj.chain.node.ChainNode;
import dev.hyperj.chain.rpc.RpcServer;
import java.net.InetSocketAddress;
import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract over real JSON-RPC: a node and its RPC server on loopback, the client over WebSocket. */
class RemoteChainClientTest extends ChainClientContract {
    private ChainNode node;
    private RpcServer server;
    private RemoteChainClient client;

    @BeforeAll
    void start() {
        node = ChainNode.start(TestChain.instantSeal());
        server = RpcServer.start(node, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults());
        client = (RemoteChainClient) ChainClient.connect(URI.create("ws://127.0.0.1:" + server.port()));
    }

    @AfterAll
    void stop() {
        client.close();
        server.close();
        node.close();
    }

    @Override
    ChainClient client() {
        return client;
    }

    @Override
    long produce(int count) {
        return client.produceBlocks(count);
    }
}
