package dev.hyperj.p2p.protocol.reqresp;

import java.time.Duration;

/**
 * Limits of a request/response protocol.
 *
 * @param maxFrame      largest request or response body accepted, in bytes (default 4 MiB)
 * @param timeout       client: from opening the stream to the complete response; server: from the
 *                      stream's start to the response being written, including the handler (default 10 s)
 * @param maxConcurrent server: requests handled at once per registration; more are reset (default 1024)
 */
public record RequestOptions(int maxFrame, Duration timeout, int maxConcurrent) {
    public static final int DEFAULT_MAX_FRAME = 4 * 1024 * 1024;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_CONCURRENT = 1024;

    public RequestOptions {
        if (maxFrame < 0) {
            throw new IllegalArgumentException("maxFrame " + maxFrame);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout);
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent " + maxConcurrent);
        }
    }

    public static RequestOptions defaults() {
        return new RequestOptions(DEFAULT_MAX_FRAME, DEFAULT_TIMEOUT, DEFAULT_MAX_CONCURRENT);
    }

    public RequestOptions withMaxFrame(int bytes) {
        return new RequestOptions(bytes, timeout, maxConcurrent);
    }

    public RequestOptions withTimeout(Duration t) {
        return new RequestOptions(maxFrame, t, maxConcurrent);
    }

    public RequestOptions withMaxConcurrent(int n) {
        return new RequestOptions(maxFrame, timeout, n);
    }
}
