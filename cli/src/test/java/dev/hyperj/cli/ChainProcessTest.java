package dev.hyperj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.chain.client.TxResult;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.chain.tx.Secp256k1;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hyperj chain --dev} as a real process: serves RPC, keeps its blocks across a clean stop (SIGTERM) and restart. */
class ChainProcessTest {
    @TempDir
    Path dir;

    private Process start(List<String> lines) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "chain",
                        "--dev",
                        "--rpc-port",
                        "0",
                        "--prometheus-port",
                        "0",
                        "--instant-seal",
                        "--base-path",
                        dir.resolve("node").toString())
                .redirectErrorStream(true)
                .start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
            try {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                    if (line.startsWith("JSON-RPC on ")) return;
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            throw new IllegalStateException("hyperj chain exited: " + lines);
        });
        serving.get(60, TimeUnit.SECONDS);
        Thread.ofVirtual().start(() -> r.lines().forEach(lines::add));
        return p;
    }

    private static URI ws(List<String> lines) {
        String l = lines.stream()
                .filter(s -> s.startsWith("JSON-RPC on "))
                .findFirst()
                .orElseThrow();
        return URI.create(l.substring(l.indexOf("ws://")).split(" ")[0]);
    }

    @Test
    void servesRpcAndResumesAfterACleanStop() throws Exception {
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>(); // the reader thread appends
        Process p = start(lines);
        long block;
        try (ChainClient c = ChainClient.connect(ws(lines))) {
            TxResult r = c.submit(
                            Secp256k1.fromPrivateKey(DevAccounts.ALITH.privateKey()),
                            new Call.Transfer(DevAccounts.BALTATHAR.account(), U128.tensor(3)))
                    .get(60, TimeUnit.SECONDS);
            assertThat(r.ok()).isTrue();
            block = c.blockNumber();
            // Substrate's convention: Prometheus metrics on their own port, checked by Prometheus' own parser
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (lines.stream().noneMatch(l -> l.startsWith("Prometheus metrics on "))
                    && System.nanoTime() < deadline)
                Thread.sleep(20); // the line follows the JSON-RPC one on the process's output
            String url = lines.stream()
                    .filter(l -> l.startsWith("Prometheus metrics on "))
                    .findFirst()
                    .orElseThrow()
                    .substring("Prometheus metrics on ".length());
            try (var http = java.net.http.HttpClient.newHttpClient()) {
                String metrics = http.send(
                                java.net.http.HttpRequest.newBuilder(URI.create(url))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
                dev.hyperj.subnet.Promtool.check(metrics);
                assertThat(metrics)
                        .contains("hyperj_chain_best_block " + (double) block)
                        .contains("hyperj_chain_extrinsics_total 1.0")
                        .contains(
                                "hyperj_rpc_request_seconds_count{method=\"author_submitAndWatchExtrinsic\",outcome=\"ok\"} 1");
            }
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook stops production and closes the database
        }
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        List<String> again = new ArrayList<>();
        Process p2 = start(again);
        try (ChainClient c = ChainClient.connect(ws(again))) {
            assertThat(again).anyMatch(l -> l.contains("at block #" + block));
            assertThat(c.balance(DevAccounts.BALTATHAR.account()))
                    .isEqualTo(dev.hyperj.chain.runtime.GenesisConfig.DEV_BALANCE.add(U128.tensor(3)));
        } finally {
            p2.destroy();
            assertThat(p2.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }
}
