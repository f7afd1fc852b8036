package dev.hyperj.overwatch;

import static dev.hyperj.chain.math.U128.tensor;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.chain.tx.Secp256k1;
import dev.hyperj.p2p.bytes.Bytes;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent process killed with SIGKILL right after its commit is in a block restarts from its
 * journal and reveals the same weights in the reveal window (without committing again).
 */
class AgentKillTest {
    @TempDir
    Path storage;

    /** A child JVM running {@link AgentProcessMain} and the lines it printed. */
    record Agent(Process process, BlockingQueue<String> lines, List<String> all) {
        String await(String prefix, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                String l = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
                if (l == null) throw new AssertionError("the agent process printed no '" + prefix + "' in " + timeout);
                if (l.startsWith(prefix)) return l;
            }
        }
    }

    Agent start(OverwatchNet net, byte[] seed, Secp256k1 hotkey, int owId) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        AgentProcessMain.class.getName(),
                        net.rpcUri().toString(),
                        storage.toString(),
                        HexFormat.of().formatHex(seed),
                        HexFormat.of().formatHex(hotkey.privateKey()),
                        Integer.toString(owId))
                .redirectErrorStream(true)
                .start();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        List<String> all = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread.ofVirtual().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    all.add(l);
                    lines.add(l);
                }
            } catch (java.io.IOException ignored) {
                // the process died
            }
        });
        return new Agent(p, lines, all);
    }

    @Test
    @Timeout(150)
    void killedAfterCommittingItRevealsAfterRestart() throws Exception {
        // 10-block epochs of 200 ms, overwatch epochs of 8 (16 s): commits in the first 64 blocks
        try (OverwatchNet net = new OverwatchNet(10, 8, 200)) {
            OverwatchNet.Subnet s = net.subnet("watched", 3, "");
            net.activate(s);
            Secp256k1 coldkey = s.members().get(0).coldkey;
            Secp256k1 hotkey = OverwatchNet.key(0x55, 1);
            net.whitelist(coldkey);
            int[] owId = {0};
            net.awaitCondition("validator old enough", Duration.ofSeconds(60), () -> {
                try {
                    owId[0] = Enrollment.ensureRegistered(net.chain, coldkey, hotkey, tensor(100), e -> {});
                    return true;
                } catch (Enrollment.EnrollmentException e) {
                    return false;
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            byte[] seed = new byte[32];
            seed[0] = 7;

            Agent first = start(net, seed, hotkey, owId[0]);
            Agent second = null;
            try {
                // a commit early in its epoch, so that a slow restart still finds the reveal window ahead
                long epoch;
                while (true) {
                    String[] committed = first.await("EVENT committed", Duration.ofSeconds(60))
                            .split(" ");
                    epoch = Long.parseLong(committed[2]);
                    if (Long.parseLong(committed[3]) - epoch * net.overwatchEpochLength() < 16) break;
                }
                // the commit is in a block; the reveal window has not opened yet
                assertThat(net.chain.overwatchCommits(epoch, owId[0])).containsOnlyKeys(s.id());
                assertThat(net.chain.blockNumber()).isLessThan(epoch * net.overwatchEpochLength() + 64);
                first.process().destroyForcibly(); // SIGKILL on Unix: no shutdown hook, nothing flushed
                assertThat(first.process().waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(first.process().exitValue()).isEqualTo(128 + 9);
                assertThat(net.chain.overwatchReveals(epoch, owId[0])).isEmpty();

                second = start(net, seed, hotkey, owId[0]);
                String revealed = second.await("EVENT revealed", Duration.ofSeconds(60));
                assertThat(Long.parseLong(revealed.split(" ")[2])).isEqualTo(epoch);
                // the chain checked the reveal against the commit made before the kill
                Journal.Entry entry =
                        new Journal(storage.resolve("journal")).read(epoch).orElseThrow();
                Map<Integer, BigInteger> onChain = net.chain.overwatchReveals(epoch, owId[0]);
                assertThat(onChain).containsOnlyKeys(s.id());
                assertThat(onChain.get(s.id()))
                        .isEqualTo(entry.subnets().get(s.id()).weight());
                Map<Integer, Bytes> commits = net.chain.overwatchCommits(epoch, owId[0]);
                assertThat(commits.get(s.id()))
                        .isEqualTo(OverwatchAgent.commitment(entry.subnets().get(s.id())));
                // it did not commit again: the restarted agent found its commit on chain
                String again = "EVENT committed " + epoch + " ";
                assertThat(second.all()).noneMatch(l -> l.startsWith(again));
            } finally {
                first.process().destroyForcibly();
                if (second != null) {
                    second.process().destroyForcibly();
                    second.process().waitFor(10, TimeUnit.SECONDS);
                }
            }
        }
    }
}
