package dev.hyperj.p2p.mux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hyperj.p2p.interop.JsInterop;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Our Yamux against js-libp2p's {@code @chainsafe/libp2p-yamux} (Node 22, from interop/js), over
 * plain loopback TCP with no encryption: the muxers see each other's bytes directly. Node dials;
 * it opens 200 concurrent echo streams and a 16 MiB stream checked by SHA-256 against our echo,
 * while we open a stream to its echo handler. Needs Node: HYPERJ_NODE, else interop/js/install.sh.
 */
@Timeout(180)
class JsYamuxInteropTest {

    static final String SCRIPT = """
            const [modules, port] = [process.argv[2], +process.argv[3]];
            const { yamux } = await import(modules + '/@chainsafe/libp2p-yamux/dist/src/index.js');
            const { toMultiaddrConnection } = await import(modules + '/@libp2p/tcp/dist/src/socket-to-conn.js');
            const { logger } = await import(modules + '/@libp2p/logger/dist/src/index.js');
            const net = await import('node:net');
            const crypto = await import('node:crypto');

            const socket = net.connect(port, '127.0.0.1');
            await new Promise((ok, fail) => { socket.once('connect', ok); socket.once('error', fail); });
            const conn = toMultiaddrConnection({ socket, direction: 'outbound', log: logger('interop') });
            const muxer = yamux()().createStreamMuxer(conn);
            console.error('interop: connected');
            let inbound = 0;
            muxer.addEventListener('stream', evt => {
              const s = evt.detail;
              inbound++;
              s.addEventListener('message', e => { if (!s.send(e.data)) { s.pause(); s.onDrain().then(() => s.resume()); } });
              s.addEventListener('remoteCloseWrite', () => { s.close().catch(() => {}); });
            });

            function exchange(bytes) {
              return new Promise(async (ok, fail) => {
                const s = await muxer.createStream();
                const got = crypto.createHash('sha256');
                let n = 0;
                s.addEventListener('message', e => { const d = e.data.subarray(); got.update(d); n += d.length; });
                s.addEventListener('remoteCloseWrite', () => ok({ n, digest: got.digest('hex') }));
                s.addEventListener('close', e => { if (e.error) fail(e.error); });
                const chunk = 64 * 1024;
                let sent = 0;
                const progress = bytes.length > 1e6 ? setInterval(() => console.error('interop: sent', sent, 'received', n, 'status', s.status, s.writeStatus, s.readStatus, 'sendWindow', s.sendWindow, 'recvWindow', s.recvWindow, 'writeBuffer', s.writeBufferLength, 'readBuffer', s.readBufferLength), 2000) : null;
                s.addEventListener('close', () => progress && clearInterval(progress));
                for (let off = 0; off < bytes.length; off += chunk) {
                  if (!s.send(bytes.subarray(off, Math.min(bytes.length, off + chunk)))) await s.onDrain();
                  sent = off;
                }
                await s.close();
              });
            }

            const sha = b => crypto.createHash('sha256').update(b).digest('hex');
            const small = [];
            for (let i = 0; i < 200; i++) {
              const b = crypto.randomBytes(1000 + i * 37);
              small.push(exchange(b).then(r => { if (r.n !== b.length || r.digest !== sha(b)) throw new Error('stream ' + i + ' mismatch'); }));
            }
            let done = 0;
            small.forEach(p => p.then(() => done++));
            const progress = setInterval(() => console.error('interop: small streams done', done), 2000);
            await Promise.all(small);
            clearInterval(progress);
            console.error('interop: 200 streams echoed');
            const big = crypto.randomBytes(16 * 1024 * 1024);
            const r = await exchange(big);
            if (r.n !== big.length || r.digest !== sha(big)) throw new Error('big stream mismatch: ' + r.n);
            // Wait for the stream the Java side opens to us, then tell it we are done.
            const deadline = Date.now() + 20000;
            while (inbound < 1 && Date.now() < deadline) await new Promise(ok => setTimeout(ok, 20));
            console.log(JSON.stringify({ ok: true, inbound, rtt: muxer.getRTT() }));
            await new Promise(ok => setTimeout(ok, 300));
            await muxer.close();
            socket.end();
            """;

    @Test
    void javaYamuxInteroperatesWithJsLibp2pYamux() throws Exception {
        Path root = JsInterop.repoRoot();
        String node = JsInterop.node().toString();
        Path script = Files.createTempFile("hyperj-yamux-interop", ".mjs");
        Files.writeString(script, SCRIPT);
        Path jsLog = Files.createTempFile("hyperj-yamux-interop", ".log");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        CompletableFuture<MuxSession> muxer = new CompletableFuture<>();
        try {
            Channel listener = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            MuxSession m = (MuxSession) StreamMuxer.create(
                                    MuxerProtocol.YAMUX,
                                    false,
                                    MuxerConfig.defaults(),
                                    s -> s.pipeline().addLast(new TestHandlers.Echo()));
                            ch.pipeline().addLast(m);
                            muxer.complete(m);
                        }
                    })
                    .bind(new InetSocketAddress("127.0.0.1", 0))
                    .sync()
                    .channel();
            int port = ((InetSocketAddress) listener.localAddress()).getPort();
            Process js = new ProcessBuilder(
                            node,
                            script.toString(),
                            root.resolve("interop/js/node_modules").toString(),
                            Integer.toString(port))
                    .redirectError(jsLog.toFile())
                    .start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(js.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            // Open a stream to the JS side and check its echo.
            MuxSession m = muxer.get(30, TimeUnit.SECONDS);
            Channel s = m.openStream().get(10, TimeUnit.SECONDS);
            TestHandlers.Collector c = new TestHandlers.Collector(true);
            s.pipeline().addLast(c);
            byte[] data = TestHandlers.randomBytes(300_000, 5);
            s.writeAndFlush(Unpooled.wrappedBuffer(data)).sync();
            ((MuxedStream) s).closeWrite().sync();
            TestHandlers.Received echoed = c.done.get(60, TimeUnit.SECONDS);
            assertThat(echoed.eof()).isTrue();
            assertThat(echoed.data()).isEqualTo(data);

            if (!js.waitFor(120, TimeUnit.SECONDS)) {
                js.destroyForcibly();
                String state = m.connection().eventLoop().submit(m::describe).get(10, TimeUnit.SECONDS);
                throw new AssertionError(
                        "node did not finish; its log:\n" + Files.readString(jsLog) + "\nour state:\n" + state);
            }
            String out = output.get(10, TimeUnit.SECONDS);
            assertThat(js.exitValue())
                    .as("node exit code; output: " + out + "\nlog:\n" + Files.readString(jsLog))
                    .isZero();
            assertThat(out).contains("\"ok\":true").contains("\"inbound\":1");
            assertThat(m.failure()).isNull();
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(10, TimeUnit.SECONDS);
            Files.deleteIfExists(script);
            Files.deleteIfExists(jsLog);
        }
    }
}
