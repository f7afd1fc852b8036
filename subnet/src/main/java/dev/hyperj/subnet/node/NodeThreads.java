package dev.hyperj.subnet.node;

import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Threads shared by the subnet nodes of one process (a devnet runs hundreds in one JVM): socket I/O
 * for every node's host, and single-threaded loops on which each node's gossip router and DHT run.
 * A node alone owns a few threads per part (a host's event loops, a router thread, a DHT thread);
 * with 256 nodes that would be thousands of threads time-slicing two cores. Shared, each node's
 * router and DHT still run one task at a time on one loop (their state stays confined), only the
 * loop is shared with other nodes. Nodes started with these threads do not stop them: {@link #close}
 * does, after the nodes.
 */
public final class NodeThreads implements AutoCloseable {
    private final EventLoopGroup io;
    private final EventLoopGroup workers;

    private NodeThreads(EventLoopGroup io, EventLoopGroup workers) {
        this.io = io;
        this.workers = workers;
    }

    /**
     * {@code ioThreads} socket threads and {@code workerThreads} loops for routers and DHTs (both at
     * least 1; about the number of cores each is plenty: the work is short and non-blocking).
     */
    public static NodeThreads shared(int ioThreads, int workerThreads) {
        if (ioThreads < 1 || workerThreads < 1) throw new IllegalArgumentException("at least one thread of each kind");
        return new NodeThreads(
                new MultiThreadIoEventLoopGroup(
                        ioThreads, new DefaultThreadFactory("hyperj-nodes-io", true), NioIoHandler.newFactory()),
                new DefaultEventLoopGroup(workerThreads, new DefaultThreadFactory("hyperj-nodes-worker", true)));
    }

    /** The event loop group every node's host does its socket I/O on. */
    public EventLoopGroup io() {
        return io;
    }

    /** The loop the next node's gossip router and DHT run on (round robin). */
    public EventLoop nextWorker() {
        return (EventLoop) workers.next();
    }

    /** Stops the threads; call after the nodes using them have stopped. */
    @Override
    public void close() {
        var a = io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        var b = workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        a.awaitUninterruptibly(5, TimeUnit.SECONDS);
        b.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
}
