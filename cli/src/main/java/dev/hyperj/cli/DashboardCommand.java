package dev.hyperj.cli;

import dev.hyperj.chain.client.ChainClientException;
import dev.hyperj.cli.dashboard.Dashboard;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code hyperj dashboard}: the network's stats page, read from a chain's RPC. */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        description = {
            "Serve the network's stats page (subnets, epochs, nodes, validators, overwatch) read from a chain's JSON-RPC.",
            "Live: the page updates itself with every block. All assets come from this jar (works offline)."
        })
public final class DashboardCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--chain",
            defaultValue = ChainArgs.DEFAULT_RPC,
            description = "Chain RPC URL, default ${DEFAULT-VALUE}.")
    String chain;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "HTTP port, default ${DEFAULT-VALUE}; 0 = any free port.")
    int port;

    @Option(
            names = "--host",
            defaultValue = "127.0.0.1",
            description = "Bind address, default ${DEFAULT-VALUE} (loopback clients only unless --external).")
    String host;

    @Option(names = "--external", description = "Answer any client address (for a bind address other than loopback).")
    boolean external;

    @Override
    public Integer call() throws Exception {
        if (port < 0 || port > 65535) throw new CliException("--port must be in [0, 65535]");
        java.net.URI uri;
        try {
            uri = java.net.URI.create(chain);
        } catch (IllegalArgumentException e) {
            throw new CliException("--chain " + chain + " is not a URL (e.g. " + ChainArgs.DEFAULT_RPC + ")");
        }
        Dashboard d;
        try {
            d = Dashboard.connect(uri, new InetSocketAddress(host, port), external);
        } catch (ChainClientException e) {
            throw new CliException("cannot read the chain at " + chain + ": " + e.getMessage());
        } catch (IllegalStateException e) {
            throw new CliException(e.getMessage() + " (is the port in use? try --port 0)");
        }
        var out = spec.commandLine().getOut();
        out.println("dashboard: " + d.url() + " (chain " + chain + ")");
        out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            d.close();
                            stopped.countDown();
                        },
                        "hyperj-dashboard-shutdown"));
        stopped.await();
        return 0;
    }
}
