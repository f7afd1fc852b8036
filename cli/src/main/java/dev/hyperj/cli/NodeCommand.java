package dev.hyperj.cli;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.api.ApiServerConfig;
import dev.hyperj.subnet.api.IpAllowList;
import dev.hyperj.subnet.api.NodeApiConfig;
import dev.hyperj.subnet.api.forward.ForwardRoute;
import dev.hyperj.subnet.consensus.ConsensusLoop;
import dev.hyperj.subnet.node.SubnetNode;
import dev.hyperj.subnet.node.SubnetNodeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code hyperj node}: one subnet node against a chain's RPC. Prints JSON lines on stdout: its peer
 * id and addresses when it runs, then one line per subnet epoch saying what its consensus loop did;
 * stops cleanly on SIGTERM / Ctrl-C.
 */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = {
            "Run one subnet node against a chain's JSON-RPC.",
            "Prints JSON lines: {\"event\":\"started\",...} with its peer id and addresses, then {\"event\":\"epoch\",...} each subnet epoch."
        })
public final class NodeCommand implements Callable<Integer> {
    @picocli.CommandLine.Mixin
    ConfigFile config;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--subnet-id", required = true, description = "The subnet this node is registered in.")
    int subnetId;

    @Option(
            names = "--key",
            required = true,
            description = "The node's libp2p key file (hyperj keygen); its peer id is the one registered on chain.")
    Path key;

    @Option(
            names = "--chain",
            defaultValue = ChainArgs.DEFAULT_RPC,
            description = "Chain RPC URL, default ${DEFAULT-VALUE}.")
    String chain;

    @Option(
            names = "--bootstrap",
            arity = "1..*",
            description = "Peers to dial first, /ip4/../tcp/../p2p/<id> (default: the subnet's bootnodes on chain).")
    List<String> bootstrap = new ArrayList<>();

    @Option(
            names = "--listen",
            defaultValue = "/ip4/127.0.0.1/tcp/0",
            description = "Listen address, default ${DEFAULT-VALUE}.")
    String listen;

    @Option(
            names = "--signer",
            required = true,
            description =
                    "The chain key that signs proposals and attestations (the node's hotkey or its validator's): a dev account name or a file with a hex private key.")
    String signer;

    @Option(
            names = "--storage",
            description =
                    "The node's data directory, kept across restarts (default: a temporary directory deleted on exit).")
    Path storage;

    @Option(
            names = "--app",
            defaultValue = "inference",
            description =
                    "The subnet's application: inference (the example subnet), embeddings (all-MiniLM-L6-v2 sentence embeddings) or heartbeat; default ${DEFAULT-VALUE}.")
    AppChoice app;

    @Option(
            names = "--api",
            defaultValue = "127.0.0.1:38961",
            description = "The node's network API (HTTP) address HOST:PORT, or 'off'; default ${DEFAULT-VALUE}.")
    String api;

    @Option(
            names = "--api-allow",
            split = ",",
            description = "Client addresses/CIDR ranges the API answers, comma separated (default: loopback only).")
    List<String> apiAllow = new ArrayList<>();

    @Option(
            names = "--api-token-file",
            description = "A file holding the bearer token every API request must carry (at least 16 characters).")
    Path apiTokenFile;

    @Option(
            names = "--api-route",
            description =
                    "An API-protocol route peers may call, forwarded to a local HTTP service: "
                            + "NAME=URL[;methods=GET|POST][;headers=a|b][;max-body=BYTES][;max-response=BYTES][;timeout=MS][;concurrency=N]. Repeatable.")
    List<String> apiRoutes = new ArrayList<>();

    @Option(
            names = "--telemetry",
            description =
                    "A collector to push signed telemetry events to, e.g. a dashboard's http://HOST:PORT/api/telemetry.")
    java.net.URI telemetry;

    @Override
    public Integer call() throws Exception {
        PrivateKey identity = KeyFiles.parse(key, KeyFiles.readBytes(key));
        Secp256k1 chainKey = ChainArgs.signer("--signer", signer);
        Multiaddr listenAddr = parseAddr(listen, "--listen");
        List<Multiaddr> peers = new ArrayList<>();
        for (String b : bootstrap) {
            Multiaddr m = parseAddr(b, "--bootstrap");
            if (m.peerId().isEmpty()) throw new CliException("--bootstrap " + b + " needs /p2p/<peer id> at the end");
            peers.add(m);
        }
        ChainClient client = ChainArgs.connect(chain);
        String self = PeerId.fromPublicKey(identity.publicKey()).toBase58();
        SubnetNode node;
        try {
            if (client.subnet(subnetId).isEmpty())
                throw new CliException("subnet " + subnetId + " is not on the chain at " + chain);
            if (peers.isEmpty()) {
                client.bootnodes(subnetId).forEach((peer, addr) -> {
                    if (peer.equals(self) || addr.isEmpty()) return;
                    // whatever a registrant wrote on chain: one bad bootnode must not stop this node
                    try {
                        Multiaddr m = Multiaddr.fromBytes(addr.get().value());
                        if (m.peerId().isPresent()) peers.add(m);
                        else
                            System.err.println("hyperj node: skipping on-chain bootnode " + m + " of " + peer
                                    + ": no /p2p/<peer id>");
                    } catch (IllegalArgumentException e) {
                        System.err.println("hyperj node: skipping on-chain bootnode " + peer
                                + ": its address does not parse (" + e.getMessage() + ")");
                    }
                });
            }
            SubnetNodeConfig cfg = SubnetNodeConfig.builder(subnetId, identity, chainKey, dataDir())
                    .listen(List.of(listenAddr))
                    .bootstrap(peers)
                    .api(apiConfig())
                    .build();
            node = SubnetNode.start(cfg, client, app.create(false));
        } catch (CliException e) {
            client.close();
            deleteTemporaryStorage();
            throw e;
        } catch (ChainClientException e) {
            client.close();
            deleteTemporaryStorage();
            throw new CliException(e.getMessage());
        } catch (Exception e) {
            client.close();
            deleteTemporaryStorage();
            throw new CliException("the node did not start: " + JsonLines.rootMessage(e));
        }
        JsonLines lines = new JsonLines(System.out);
        boolean registered = client.subnetNodes(subnetId).stream()
                .anyMatch(n -> n.node().peerInfo().peerId().equals(self));
        lines.emit(
                "started",
                "peerId",
                self,
                "addresses",
                node.context().host().listenAddresses().stream()
                        .map(Object::toString)
                        .toList(),
                "subnetId",
                subnetId,
                "chain",
                chain,
                "registered",
                registered,
                "signer",
                chainKey.account().toString(),
                "api",
                node.apiUrl().orElse(null));
        node.consensus()
                .onOutcome((ConsensusLoop.Outcome o) -> lines.emit(
                        "epoch",
                        "epoch",
                        o.epoch(),
                        "subnetNodeId",
                        o.subnetNodeId(),
                        "action",
                        o.action().name(),
                        "scores",
                        o.scores().size(),
                        "detail",
                        o.detail().orElse(null),
                        "dagNodes",
                        node.context().dag().count(),
                        "dagHeads",
                        node.context().dag().heads().stream().limit(16).toList()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            node.close();
                            client.close();
                            deleteTemporaryStorage();
                            lines.emit("stopped", "peerId", self);
                            stopped.countDown();
                        },
                        "hyperj-node-shutdown"));
        stopped.await();
        return 0;
    }

    private Path temporaryStorage;

    /** {@code --storage}, or a temporary directory removed when the node stops (nothing left in the cwd). */
    private Path dataDir() throws java.io.IOException {
        if (storage != null) return storage;
        temporaryStorage = java.nio.file.Files.createTempDirectory("hyperj-node-");
        return temporaryStorage;
    }

    private void deleteTemporaryStorage() {
        if (temporaryStorage == null) return;
        try (var files = java.nio.file.Files.walk(temporaryStorage)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(f -> f.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException ignored) {
            // a temporary directory the OS will clean up
        }
    }

    /** The network API and API-protocol routes from the options; every mistake is one clear line. */
    NodeApiConfig apiConfig() {
        List<ForwardRoute> routes = new ArrayList<>();
        for (String r : apiRoutes) {
            try {
                routes.add(ForwardRoute.parse(r));
            } catch (IllegalArgumentException e) {
                throw new CliException("--api-route: " + e.getMessage());
            }
        }
        NodeApiConfig c = NodeApiConfig.disabled().withRoutes(routes);
        if (telemetry != null) c = c.withTelemetry(telemetry);
        if (api.equals("off")) return c;
        int colon = api.lastIndexOf(':');
        if (colon <= 0) throw new CliException("--api is HOST:PORT or off, not " + api);
        int port;
        try {
            port = Integer.parseInt(api.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new CliException("--api " + api + ": the port is not a number");
        }
        if (port < 0 || port > 65535) throw new CliException("--api port must be in [0, 65535]");
        String host = api.substring(0, colon).replace("[", "").replace("]", "");
        ApiServerConfig server = ApiServerConfig.loopback(0).withBind(new java.net.InetSocketAddress(host, port));
        try {
            if (!apiAllow.isEmpty()) server = server.withAllow(IpAllowList.parse(apiAllow));
            if (apiTokenFile != null) {
                String token = java.nio.file.Files.readString(apiTokenFile).strip();
                server = server.withToken(token);
            }
        } catch (IllegalArgumentException e) {
            throw new CliException("--api-allow/--api-token-file: " + e.getMessage());
        } catch (java.io.IOException e) {
            throw new CliException("cannot read --api-token-file " + apiTokenFile + ": " + e.getMessage());
        }
        return c.withServer(server);
    }

    private static Multiaddr parseAddr(String s, String option) {
        try {
            return Multiaddr.parse(s);
        } catch (IllegalArgumentException e) {
            throw new CliException(option + " " + s + " is not a multiaddr: " + e.getMessage());
        }
    }
}
