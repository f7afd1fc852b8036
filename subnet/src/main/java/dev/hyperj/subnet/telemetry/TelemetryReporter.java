package dev.hyperj.subnet.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.crypto.PrivateKey;
import dev.hyperj.p2p.peer.PeerId;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Signs a node's events and pushes them to a collector, best effort: at most {@link #MAX_IN_FLIGHT}
 * pushes at once (more are dropped and counted), 5 s each. Sequence numbers start from the clock
 * in microseconds, so a restarted node continues above what the collector saw.
 */
public final class TelemetryReporter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelemetryReporter.class);
    static final int MAX_IN_FLIGHT = 32;

    private final URI collector;
    private final PrivateKey key;
    private final String peerId;
    private final int subnetId;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final AtomicLong seq = new AtomicLong(System.currentTimeMillis() * 1000);
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public TelemetryReporter(URI collector, PrivateKey key, int subnetId) {
        this.collector = collector;
        this.key = key;
        this.peerId = PeerId.fromPublicKey(key.publicKey()).toBase58();
        this.subnetId = subnetId;
    }

    /** Signs and pushes one event; never blocks, never throws. */
    public void emit(String type, JsonNode data) {
        if (!inFlight.tryAcquire()) {
            dropped.incrementAndGet();
            return;
        }
        String body;
        try {
            body = new TelemetryEvent(type, peerId, subnetId, seq.incrementAndGet(), System.currentTimeMillis(), data)
                    .sign(key);
        } catch (RuntimeException e) {
            inFlight.release();
            log.debug("telemetry event {} not signed: {}", type, e.toString());
            return;
        }
        HttpRequest req = HttpRequest.newBuilder(collector)
                .timeout(Duration.ofSeconds(5))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        http.sendAsync(req, HttpResponse.BodyHandlers.discarding()).whenComplete((r, e) -> {
            inFlight.release();
            if (e == null && r.statusCode() / 100 == 2) sent.incrementAndGet();
            else {
                dropped.incrementAndGet();
                log.debug("telemetry event {} not taken: {}", type, e != null ? e.toString() : r.statusCode());
            }
        });
    }

    public long sentCount() {
        return sent.get();
    }

    public long droppedCount() {
        return dropped.get();
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
