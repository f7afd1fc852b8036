package dev.hyperj.cli.dashboard;

import dev.hyperj.chain.client.ChainClient;
import dev.hyperj.subnet.api.ApiException;
import dev.hyperj.subnet.api.ApiRequest;
import dev.hyperj.subnet.api.ApiResponse;
import dev.hyperj.subnet.api.ApiServer;
import dev.hyperj.subnet.api.ApiServerConfig;
import dev.hyperj.subnet.api.IpAllowList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the network's stats page: {@code /} and its assets (from the jar), {@code /api/overview},
 * {@code /api/subnets/ID}, {@code /api/telemetry} (the signed-telemetry collector: nodes POST
 * events, the page GETs the genuine ones), and {@code /events} (Server-Sent Events: one {@code {"block":N}} per new
 * block once the model has read it, so the page refreshes itself). The model is updated off the
 * chain client's thread, at most one update at a time, coalescing blocks that arrive meanwhile.
 */
public final class Dashboard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);
    private static final Map<String, String> ASSETS = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/app.js", "app.js",
            "/style.css", "style.css",
            "/favicon.svg", "favicon.svg");

    private final ChainClient chain;
    private final NetworkModel model;
    private final ApiServer server;
    private final ScheduledExecutorService updater = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("dashboard-update").factory());
    private final AtomicBoolean pending = new AtomicBoolean();
    private final List<Consumer<String>> subscribers = new CopyOnWriteArrayList<>();
    private final AutoCloseable heads;
    private final boolean ownsChain;
    private final dev.hyperj.subnet.telemetry.TelemetryCollector telemetry;

    private Dashboard(ChainClient chain, InetSocketAddress bind, boolean external, boolean ownsChain) {
        this.chain = chain;
        this.ownsChain = ownsChain;
        this.model = new NetworkModel(chain);
        this.telemetry = dev.hyperj.subnet.telemetry.TelemetryCollector.forChain(chain);
        model.update(); // fails fast (and clearly) if the chain cannot be read
        ApiServerConfig cfg = ApiServerConfig.loopback(0).withBind(bind);
        if (external) cfg = cfg.withAllow(IpAllowList.any());
        this.server = ApiServer.start(cfg, this::handle);
        server.stream("/events", sink -> {
            subscribers.add(sink);
            return () -> subscribers.remove(sink);
        });
        this.heads = chain.subscribeNewHeads(h -> schedule());
        // a chain whose head subscription stalls still shows fresh numbers
        updater.scheduleWithFixedDelay(this::schedule, 10, 10, TimeUnit.SECONDS);
    }

    /** Serves the page on {@code bind} (loopback clients unless {@code external}). */
    public static Dashboard start(ChainClient chain, InetSocketAddress bind, boolean external) {
        return new Dashboard(chain, bind, external, false);
    }

    /** Connects to the chain's RPC at {@code rpc} and serves its page; closing the dashboard closes the connection. */
    public static Dashboard connect(java.net.URI rpc, InetSocketAddress bind, boolean external) {
        ChainClient c = ChainClient.connect(rpc);
        try {
            return new Dashboard(c, bind, external, true);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public String url() {
        return server.url() + "/";
    }

    NetworkModel model() {
        return model;
    }

    private void schedule() {
        if (!pending.compareAndSet(false, true)) return;
        try {
            updater.execute(() -> {
                pending.set(false);
                try {
                    model.update();
                    String event = "{\"block\":" + model.overview().get("block") + "}";
                    for (Consumer<String> s : subscribers) s.accept(event);
                } catch (RuntimeException e) {
                    // close() interrupts a read in flight: that is the stop, not a failure to report
                    if (updater.isShutdown()) log.debug("dashboard: update cut short by close: {}", e.getMessage());
                    else log.warn("dashboard: reading the chain failed: {}", e.getMessage());
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            pending.set(false); // closing
        }
    }

    private ApiResponse handle(ApiRequest r) {
        if (r.path().equals("/api/telemetry") && r.method().equals("POST")) return telemetry.receive(r);
        if (r.path().equals("/api/telemetry"))
            return ApiResponse.json(java.util.Map.of(
                    "events", telemetry.recent(),
                    "accepted", telemetry.acceptedCount(),
                    "refused", telemetry.refusals()));
        if (!r.method().equals("GET")) return ApiResponse.error(405, "method_not_allowed", "the dashboard takes GET");
        String asset = ASSETS.get(r.path());
        if (asset != null) return asset(asset);
        if (r.path().equals("/api/overview")) return ApiResponse.json(model.overview());
        if (r.path().startsWith("/api/subnets/")) {
            int id;
            try {
                id = Integer.parseInt(r.path().substring("/api/subnets/".length()));
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("a subnet id is a number");
            }
            return model.subnet(id)
                    .map(ApiResponse::json)
                    .orElseGet(() -> ApiResponse.error(404, "not_found", "no subnet " + id));
        }
        return ApiResponse.error(404, "not_found", "no page " + r.path());
    }

    private static ApiResponse asset(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream("/dashboard/" + name)) {
            if (in == null) return ApiResponse.error(500, "internal", "asset missing from the jar: " + name);
            String type = name.endsWith(".html")
                    ? "text/html; charset=utf-8"
                    : name.endsWith(".js")
                            ? "text/javascript; charset=utf-8"
                            : name.endsWith(".css") ? "text/css; charset=utf-8" : "image/svg+xml";
            return ApiResponse.bytes(200, type, in.readAllBytes())
                    .withHeader("cache-control", "no-cache")
                    .withHeader("x-content-type-options", "nosniff");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            heads.close();
        } catch (Exception e) {
            log.debug("closing the head subscription failed: {}", e.toString());
        }
        updater.shutdownNow();
        server.close();
        if (ownsChain) chain.close();
    }

    ChainClient chain() {
        return chain;
    }
}
