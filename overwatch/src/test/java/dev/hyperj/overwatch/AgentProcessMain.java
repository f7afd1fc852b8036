package dev.hyperj.overwatch;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.subnet.overwatch.OverwatchChecks;
import java.net.URI;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * An overwatch agent in a process of its own, for {@link AgentKillTest}: args = RPC URL, storage
 * directory, identity seed (hex), hotkey (hex), overwatch node id. Prints one line per event,
 * {@code EVENT <name> <epoch> <block> <detail>}, and runs until killed.
 */
public final class AgentProcessMain {
    public static void main(String[] args) throws Exception {
        ChainClient chain = ChainClient.connect(URI.create(args[0]));
        OverwatchAgent.Config cfg = OverwatchAgent.Config.of(
                        chain,
                        Keys.ed25519FromSeed(HexFormat.of().parseHex(args[2])),
                        Secp256k1.fromPrivateKey(HexFormat.of().parseHex(args[3])),
                        Integer.parseInt(args[4]),
                        Path.of(args[1]))
                .withListen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .withGossip(OverwatchNet.GOSSIP)
                .withChecks(OverwatchChecks.load())
                .withMeasureAt(0.0);
        OverwatchAgent.start(cfg, e -> {
            long[] at = switch (e) {
                case AgentEvent.Committed c -> new long[] {c.overwatchEpoch(), c.block()};
                case AgentEvent.Revealed r -> new long[] {r.overwatchEpoch(), r.block()};
                case AgentEvent.Missed m -> new long[] {m.overwatchEpoch(), -1};
                default -> new long[] {-1, -1};
            };
            System.out.println("EVENT " + e.event() + " " + at[0] + " " + at[1] + " " + e);
            System.out.flush();
        });
        System.out.println("STARTED");
        System.out.flush();
        Thread.currentThread().join(); // until killed
    }
}
