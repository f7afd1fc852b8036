package dev.hyperj.examples.embeddings;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's threads for model work off the network threads: {@link #POOL} for checks (spot checks,
 * evidence), two daemon threads and at most 64 tasks waiting, more refused (the message is then
 * ignored); and {@link #CHALLENGES}, one thread of its own, so that each epoch's challenge answer,
 * which must be committed early in the epoch, never waits behind checks.
 */
final class Work {
    private Work() {}

    static final ExecutorService POOL = new ThreadPoolExecutor(
            2,
            2,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64),
            Thread.ofPlatform().daemon().name("embeddings-work-", 0).factory(),
            new ThreadPoolExecutor.AbortPolicy());

    static final ExecutorService CHALLENGES = new ThreadPoolExecutor(
            1,
            1,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(16),
            Thread.ofPlatform().daemon().name("embeddings-challenge").factory(),
            new ThreadPoolExecutor.AbortPolicy());
}
