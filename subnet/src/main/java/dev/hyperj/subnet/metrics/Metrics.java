package dev.hyperj.subnet.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** A Prometheus registry with the JVM's meters bound, and its text exposition. */
public final class Metrics implements AutoCloseable {
    /** Prometheus' text format, the one {@code promtool check metrics} reads. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    public Metrics() {
        // two of Micrometer's JVM meters break Prometheus' naming rules (promtool check metrics says so):
        // a gauge ending in _count, and a CPU-time counter in nanoseconds (process_cpu_usage stays)
        registry.config()
                .meterFilter(new io.micrometer.core.instrument.config.MeterFilter() {
                    @Override
                    public io.micrometer.core.instrument.Meter.Id map(io.micrometer.core.instrument.Meter.Id id) {
                        return id.getName().equals("system.cpu.count") ? id.withName("system.cpus") : id;
                    }
                })
                .meterFilter(io.micrometer.core.instrument.config.MeterFilter.deny(
                        id -> id.getName().equals("process.cpu.time")));
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The current values in Prometheus' text format. */
    public String scrape() {
        return registry.scrape(CONTENT_TYPE);
    }

    /**
     * Serves {@code GET /metrics} alone on {@code bind} (the chain node's {@code --prometheus-port});
     * {@code external} answers any address, otherwise loopback only.
     */
    public dev.hyperj.subnet.api.ApiServer serve(java.net.InetSocketAddress bind, boolean external) {
        var cfg = dev.hyperj.subnet.api.ApiServerConfig.loopback(0).withBind(bind);
        if (external) cfg = cfg.withAllow(dev.hyperj.subnet.api.IpAllowList.any());
        return dev.hyperj.subnet.api.ApiServer.start(cfg, r -> {
            if (!r.path().equals("/metrics"))
                return dev.hyperj.subnet.api.ApiResponse.error(404, "not_found", "metrics are at /metrics");
            if (!r.method().equals("GET"))
                return dev.hyperj.subnet.api.ApiResponse.error(405, "method_not_allowed", "/metrics takes GET");
            return dev.hyperj.subnet.api.ApiResponse.bytes(
                    200, CONTENT_TYPE, scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        });
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
