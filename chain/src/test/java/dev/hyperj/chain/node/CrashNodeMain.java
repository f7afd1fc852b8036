package dev.hyperj.chain.node;

import dev.hyperj.chain.client.TestChain;
import dev.hyperj.chain.rpc.RpcServer;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** A node process for the crash test: {@code CrashNodeMain <base path> <block time ms>}; prints "PORT n" once serving. */
public final class CrashNodeMain {
    private CrashNodeMain() {}

    public static void main(String[] args) throws Exception {
        ChainNode node = ChainNode.start(TestChain.instantSeal()
                .withInstantSeal(false)
                .withBlockTimeMs(Long.parseLong(args[1]))
                .withBasePath(Path.of(args[0])));
        RpcServer server = RpcServer.start(node, new InetSocketAddress("127.0.0.1", 0), RpcServer.Limits.defaults());
        System.out.println("PORT " + server.port());
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
