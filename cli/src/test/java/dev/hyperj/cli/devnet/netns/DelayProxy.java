package dev.hyperj.cli.devnet.netns;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A TCP forwarder that holds every chunk it reads for a fixed delay before writing it on, in both
 * directions and in order: latency of our own, since the test kernel has no netem. With no delay it
 * is a plain relay (the chain's RPC into the namespaces). Runs in the test JVM ({@link #start}) or,
 * inside a namespace, as a process of its own ({@link #main}: listen host:port, target host:port,
 * delay ms; prints {@code ready} once it listens).
 */
public final class DelayProxy implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;
    /** Chunks in flight per direction: a bound, and back-pressure on the reader. */
    private static final int IN_FLIGHT = 256;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final long delayNanos;

    private record Chunk(byte[] bytes, long dueNanos) {}

    private DelayProxy(ServerSocket server, InetSocketAddress target, long delayMs) {
        this.server = server;
        this.target = target;
        this.delayNanos = TimeUnit.MILLISECONDS.toNanos(delayMs);
    }

    public static DelayProxy start(InetSocketAddress listen, InetSocketAddress target, long delayMs)
            throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(listen, 64);
        DelayProxy p = new DelayProxy(s, target, delayMs);
        Thread.ofVirtual().name("delay-proxy-accept").start(p::acceptLoop);
        return p;
    }

    public int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket in;
            try {
                in = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            Thread.ofVirtual().start(() -> connect(in));
        }
    }

    private void connect(Socket in) {
        Socket out = new Socket();
        try {
            out.connect(target, 5_000);
            in.setTcpNoDelay(true);
            out.setTcpNoDelay(true);
        } catch (IOException e) {
            closeBoth(in, out);
            return;
        }
        pipe(in, out);
        pipe(out, in);
    }

    /** One direction: a reader stamps chunks with their due time, a writer sends each when due. */
    private void pipe(Socket from, Socket to) {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>(IN_FLIGHT);
        Chunk end = new Chunk(new byte[0], 0);
        Thread.ofVirtual().start(() -> {
            byte[] buf = new byte[CHUNK];
            try (InputStream r = from.getInputStream()) {
                for (int n; (n = r.read(buf)) > 0; )
                    queue.put(new Chunk(Arrays.copyOf(buf, n), System.nanoTime() + delayNanos));
            } catch (IOException | InterruptedException e) {
                // the connection ended
            } finally {
                queue.offer(end);
            }
        });
        Thread.ofVirtual().start(() -> {
            try {
                OutputStream w = to.getOutputStream();
                for (Chunk c; (c = queue.take()) != end; ) {
                    long wait = c.dueNanos() - System.nanoTime();
                    if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait); // the delay itself: nothing to wait on but time
                    w.write(c.bytes());
                    w.flush();
                }
                to.shutdownOutput();
            } catch (IOException | InterruptedException e) {
                closeBoth(from, to);
            }
        });
    }

    private static void closeBoth(Socket a, Socket b) {
        try {
            a.close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            b.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: DelayProxy LISTEN_HOST:PORT TARGET_HOST:PORT DELAY_MS");
            System.exit(2);
        }
        DelayProxy p = start(address(args[0]), address(args[1]), Long.parseLong(args[2]));
        System.out.println("ready " + p.port());
        System.out.flush();
        new java.util.concurrent.CountDownLatch(1).await(); // until killed
    }
}
