package dev.hyperj.subnet.api.forward;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The I/O half of the API protocol: asks {@link ForwardPolicy}, sends the plan to the local
 * service with the JDK's HTTP client, bounds the response (size and time, body included) and turns
 * every failure into a typed {@link ApiAnswer}. Never throws.
 */
public final class Forwarder implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Forwarder.class);

    /** Sees every call: the route (or {@code unknown}), its outcome ({@code ok} or an error code), how long it took. */
    @FunctionalInterface
    public interface Observer {
        void forwarded(String route, String outcome, long nanos);
    }

    private final ForwardPolicy policy;
    private final HttpClient http;
    private final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    private final java.util.List<Observer> observers = new java.util.concurrent.CopyOnWriteArrayList<>();

    public Forwarder(ForwardPolicy policy) {
        this.policy = policy;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(3))
                .followRedirects(HttpClient.Redirect.NEVER) // a redirect must not take a peer's call elsewhere
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    public ForwardPolicy policy() {
        return policy;
    }

    public AutoCloseable observe(Observer o) {
        observers.add(o);
        return () -> observers.remove(o);
    }

    /** Calls being forwarded now on {@code route}. */
    public int running(String route) {
        AtomicInteger n = running.get(route);
        return n == null ? 0 : n.get();
    }

    /** Answers one call (blocks up to the route's timeout; run it on a virtual thread). */
    public ApiAnswer handle(ApiCall call) {
        long start = System.nanoTime();
        ForwardPolicy.Decision d = policy.decide(call, this::tryTake);
        if (d.refusal() != null) {
            ApiAnswer a = d.refusal();
            String route = a.error().equals(ForwardError.UNKNOWN_ROUTE.code()) ? "unknown" : call.route();
            notify(route, a.error(), start);
            return a;
        }
        ForwardPolicy.Plan plan = d.plan();
        try {
            ApiAnswer a = send(plan);
            notify(plan.route().name(), a.isError() ? a.error() : "ok", start);
            return a;
        } finally {
            running.get(plan.route().name()).decrementAndGet();
        }
    }

    private boolean tryTake(ForwardRoute r) {
        AtomicInteger n = running.computeIfAbsent(r.name(), k -> new AtomicInteger());
        if (n.incrementAndGet() > r.maxConcurrent()) {
            n.decrementAndGet();
            return false;
        }
        return true;
    }

    private ApiAnswer send(ForwardPolicy.Plan plan) {
        HttpRequest.Builder b = HttpRequest.newBuilder(plan.target())
                .timeout(plan.timeout())
                .method(plan.method(), HttpRequest.BodyPublishers.ofByteArray(plan.body()));
        for (ApiCall.Header h : plan.headers()) b.header(h.name(), h.value());
        int max = plan.route().maxResponseBytes();
        CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(b.build(), info -> new Bounded(max));
        try {
            HttpResponse<byte[]> r = f.get(plan.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return ApiAnswer.of(
                    r.statusCode(), ForwardPolicy.responseHeaders(r.headers().map()), r.body());
        } catch (TimeoutException e) {
            f.cancel(true);
            return timeout(plan);
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            return ApiAnswer.error(ForwardError.SERVICE_UNAVAILABLE, "the node is stopping");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof TooLarge)
                return ApiAnswer.error(
                        ForwardError.RESPONSE_TOO_LARGE,
                        "the service of route " + plan.route().name() + " answered more than " + max + " bytes");
            if (c instanceof HttpTimeoutException) return timeout(plan);
            if (c instanceof ConnectException || c.getCause() instanceof ConnectException)
                return ApiAnswer.error(
                        ForwardError.SERVICE_UNAVAILABLE,
                        "the service of route " + plan.route().name() + " is not reachable");
            log.debug("forwarding {} failed: {}", plan.route().name(), c.toString());
            return ApiAnswer.error(
                    ForwardError.SERVICE_UNAVAILABLE,
                    "the service of route " + plan.route().name() + " failed: "
                            + (c instanceof IOException ? c.getClass().getSimpleName() : "error"));
        }
    }

    private static ApiAnswer timeout(ForwardPolicy.Plan plan) {
        return ApiAnswer.error(
                ForwardError.SERVICE_TIMEOUT,
                "the service of route " + plan.route().name() + " did not answer within "
                        + plan.timeout().toMillis() + " ms");
    }

    private void notify(String route, String outcome, long start) {
        long nanos = System.nanoTime() - start;
        for (Observer o : observers) o.forwarded(route, outcome, nanos);
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("response too large", null);
        }
    }

    /** Collects a body up to {@code max} bytes; cancels the exchange beyond. */
    private static final class Bounded implements HttpResponse.BodySubscriber<byte[]> {
        private final int max;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Bounded(int max) {
            this.max = max;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            if (result.isDone()) return;
            for (ByteBuffer bb : items) {
                if (buf.size() + bb.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge());
                    return;
                }
                byte[] chunk = new byte[bb.remaining()];
                bb.get(chunk);
                buf.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(buf.toByteArray());
        }
    }
}
