package dev.hyperj.cli.devnet.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private network of Linux namespaces for tests: a bridge in a namespace of its own ({@value
 * #BRIDGE_NS}), one namespace per node ({@code hjf-n<i>}, address 10.77.1.(i+1)) linked to it by a
 * veth pair, and a veth from the test's own namespace into the bridge (10.77.0.1) so the test JVM
 * can serve the chain to the nodes. Every name starts with {@value #PREFIX} and every address is in
 * 10.77.0.0/16 on links this class made: nothing is sent anywhere else. {@link #clean} removes
 * everything with the prefix (also what a killed run left behind).
 */
public final class Netns implements AutoCloseable {
    public static final String PREFIX = "hjf-";
    public static final String BRIDGE_NS = PREFIX + "br";
    /** The test JVM's end of the network. */
    public static final String HOST_ADDRESS = "10.77.0.1";

    private static final String HOST_LINK = PREFIX + "host";
    private final int nodes;

    private Netns(int nodes) {
        this.nodes = nodes;
    }

    /** Builds the network for {@code nodes} nodes after removing any leftovers; fails with what to do if it cannot. */
    public static Netns create(int nodes) {
        clean();
        Netns n = new Netns(nodes);
        try {
            ip("netns", "add", BRIDGE_NS);
            ip("-n", BRIDGE_NS, "link", "set", "lo", "up");
            ip("-n", BRIDGE_NS, "link", "add", "br0", "type", "bridge");
            ip("-n", BRIDGE_NS, "link", "set", "br0", "up");
            ip("link", "add", HOST_LINK, "type", "veth", "peer", "name", "host-br");
            ip("link", "set", "host-br", "netns", BRIDGE_NS);
            ip("-n", BRIDGE_NS, "link", "set", "host-br", "master", "br0", "up");
            ip("addr", "add", HOST_ADDRESS + "/16", "dev", HOST_LINK);
            ip("link", "set", HOST_LINK, "up");
            for (int i = 0; i < nodes; i++) {
                String ns = namespace(i);
                ip("netns", "add", ns);
                ip("-n", ns, "link", "set", "lo", "up");
                ip("link", "add", "hjf-tmp", "type", "veth", "peer", "name", bridgePort(i));
                ip("link", "set", bridgePort(i), "netns", BRIDGE_NS);
                ip("link", "set", "hjf-tmp", "netns", ns);
                ip("-n", ns, "link", "set", "hjf-tmp", "name", "eth0");
                ip("-n", ns, "addr", "add", address(i) + "/16", "dev", "eth0");
                ip("-n", ns, "link", "set", "eth0", "up");
                ip("-n", BRIDGE_NS, "link", "set", bridgePort(i), "master", "br0", "up");
            }
            return n;
        } catch (RuntimeException e) {
            clean();
            throw new IllegalStateException(
                    "cannot build the test's network namespaces (these tests need root and `ip` from iproute2, as in CI): "
                            + e.getMessage(),
                    e);
        }
    }

    public static String namespace(int node) {
        return PREFIX + "n" + node;
    }

    public static String address(int node) {
        return "10.77.1." + (node + 1);
    }

    private static String bridgePort(int node) {
        return PREFIX + "p" + node;
    }

    /** The command line that runs {@code cmd} inside node {@code i}'s namespace ({@code ip netns exec} execs it: same pid). */
    public List<String> exec(int node, List<String> cmd) {
        List<String> out = new ArrayList<>(List.of("ip", "netns", "exec", namespace(node)));
        out.addAll(cmd);
        return out;
    }

    /** Cuts (false) or restores (true) node {@code i}'s only link, at the bridge: its peers and its chain all go silent. */
    public void link(int node, boolean up) {
        ip("-n", BRIDGE_NS, "link", "set", bridgePort(node), up ? "up" : "down");
    }

    public int nodes() {
        return nodes;
    }

    /** Removes every namespace and link named with the prefix; quiet about what is not there. */
    public static void clean() {
        tryIp("link", "del", HOST_LINK);
        tryIp("link", "del", "hjf-tmp");
        String list;
        try {
            list = run(List.of("ip", "netns", "list"));
        } catch (RuntimeException e) {
            return;
        }
        for (String line : list.split("\n")) {
            String name = line.split(" ")[0].trim();
            if (name.startsWith(PREFIX)) tryIp("netns", "del", name);
        }
    }

    @Override
    public void close() {
        clean();
    }

    private static void tryIp(String... args) {
        try {
            ip(args);
        } catch (RuntimeException ignored) {
            // not there
        }
    }

    public static String ip(String... args) {
        List<String> cmd = new ArrayList<>(List.of("ip"));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    /** Runs a short command, returns its stdout; throws with its stderr if it fails or hangs. */
    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", cmd) + " hung");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0)
                throw new IllegalStateException(String.join(" ", cmd) + " exited " + p.exitValue() + ": " + out.trim());
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", cmd) + " interrupted", e);
        }
    }
}
