package dev.hyperj.examples.embeddings;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The JVM's pool for model work off the network threads (challenges, checks of evidence): two
 * daemon threads and at most 64 tasks waiting; more are refused (the caller ignores the message).
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
}
