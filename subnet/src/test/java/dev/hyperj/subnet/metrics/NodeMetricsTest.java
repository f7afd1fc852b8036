package dev.hyperj.subnet.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hyperj.p2p.host.Host;
import dev.hyperj.p2p.multiformats.Multiaddr;
import dev.hyperj.p2p.resources.ResourceLimits;
import dev.hyperj.subnet.Promtool;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class NodeMetricsTest {
    private static Host host(ResourceLimits limits) throws Exception {
        Host h = Host.builder()
                .listen(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))
                .resources(limits)
                .threads(1)
                .build();
        h.start().get(10, TimeUnit.SECONDS);
        return h;
    }

    @Test
    void theResourceManagersRefusalsAreCountedByLimit() throws Exception {
        try (Host a = host(ResourceLimits.defaults().withSystemConnections(1));
                Host b = host(ResourceLimits.defaults());
                Host c = host(ResourceLimits.defaults());
                Metrics metrics = new Metrics()) {
            new NodeMetrics(metrics.registry()).bindHost(a);
            a.connect(b.listenAddresses().get(0)).get(10, TimeUnit.SECONDS);
            // a's one connection is taken: its dial to c is refused before it leaves
            assertThatThrownBy(() -> a.connect(c.listenAddresses().get(0)).get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
            String text = metrics.scrape();
            assertThat(text)
                    .contains("hyperj_p2p_resource_refusals_total{reason=\"system_connections\"} 1.0")
                    .contains("hyperj_p2p_resource_refusals_total{reason=\"peer_streams\"} 0.0");
            Promtool.check(text);
        }
    }
}
