package dev.hyperj.chain.client;

import dev.hyperj.chain.node.ChainNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

class EmbeddedChainClientTest extends ChainClientContract {
    private ChainNode node;
    private ChainClient client;

    @BeforeAll
    void start() {
        node = ChainNode.start(TestChain.instantSeal());
        client = ChainClient.embedded(node);
    }

    @AfterAll
    void stop() {
        client.close();
        node.close();
    }

    @Override
    ChainClient client() {
        return client;
    }

    @Override
    long produce(int count) {
        return node.produceBlocks(count);
    }
}
