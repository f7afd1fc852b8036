package dev.hyperj.p2p.multistream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One negotiation, dialer or listener role; see {@link MultistreamSelect}. Not sharable.
 *
 * <p>A lazy dialer (one proposal) calls {@link MultistreamSelect.Outcome#selected} right after
 * writing its proposal, stays in the pipeline to check the listener's header and echo as they
 * arrive, then removes itself; until then no inbound byte reaches the handlers after it.
 */
final class MultistreamHandler extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(MultistreamHandler.class);
    private static final String NA = "na";
    private static final String LS = "ls";

    private final boolean dialer;
    private final boolean lazy;
    private final List<String> proposals;
    private final Set<String> supported;
    private final long timeoutNanos;
    private final MultistreamSelect.Outcome outcome;

    private boolean started;
    private boolean headerReceived;
    private boolean finished;
    /** Lazy dialer: {@code selected} was called before the listener confirmed the protocol. */
    private boolean handedOver;

    private int proposalIndex;
    private int rounds;
    private ScheduledFuture<?> timeout;

    MultistreamHandler(
            boolean dialer,
            boolean lazy,
            List<String> proposals,
            Set<String> supported,
            Duration timeout,
            MultistreamSelect.Outcome outcome) {
        if (lazy && (!dialer || proposals.size() != 1)) {
            throw new IllegalArgumentException("lazy negotiation needs a dialer with exactly one proposal");
        }
        this.dialer = dialer;
        this.lazy = lazy;
        this.proposals = proposals;
        this.supported = supported;
        this.timeoutNanos = timeout.toNanos();
        this.outcome = outcome;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        if (timeoutNanos > 0) {
            timeout = ctx.executor()
                    .schedule(
                            () -> fail(
                                    ctx,
                                    "negotiation timed out after "
                                            + Duration.ofNanos(timeoutNanos).toMillis() + " ms"),
                            timeoutNanos,
                            TimeUnit.NANOSECONDS);
        }
        if (dialer) {
            ByteBuf out = ctx.alloc().buffer();
            MultistreamCodec.write(out, MultistreamSelect.PROTOCOL_ID);
            MultistreamCodec.write(out, proposals.get(0));
            ctx.writeAndFlush(out); // a failed write surfaces as the channel closing
            if (lazy) {
                handOver(ctx);
            }
        }
        // The listener answers with its header once the dialer's arrives.
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (finished) {
            return; // failed: the channel is closing, drop whatever still arrives
        }
        boolean flush = false;
        try {
            while (!finished) {
                String message = MultistreamCodec.read(in);
                if (message == null) {
                    break;
                }
                flush |= dialer ? onDialerMessage(ctx, message) : onListenerMessage(ctx, message);
            }
        } catch (MultistreamException e) {
            fail(ctx, e);
            in.skipBytes(in.readableBytes());
            return;
        } finally {
            if (flush) {
                ctx.flush();
            }
        }
        if (finished && ctx.channel().isOpen()) {
            complete(ctx);
        }
    }

    private String selected;

    private boolean onDialerMessage(ChannelHandlerContext ctx, String message) throws MultistreamException {
        if (!headerReceived) {
            if (!MultistreamSelect.PROTOCOL_ID.equals(message)) {
                throw new MultistreamException("unexpected header: " + printable(message));
            }
            headerReceived = true;
            return false;
        }
        String proposed = proposals.get(proposalIndex);
        if (proposed.equals(message)) {
            selected = proposed;
            finished = true;
            return false;
        }
        if (!NA.equals(message)) {
            throw new MultistreamException("unexpected answer to " + proposed + ": " + printable(message), true);
        }
        if (++proposalIndex >= proposals.size()) {
            throw new MultistreamException("peer supports none of " + proposals, true);
        }
        ByteBuf buf = ctx.alloc().buffer();
        MultistreamCodec.write(buf, proposals.get(proposalIndex));
        ctx.write(buf);
        return true;
    }

    private boolean onListenerMessage(ChannelHandlerContext ctx, String message) throws MultistreamException {
        ByteBuf buf = ctx.alloc().buffer();
        if (!headerReceived) {
            if (!MultistreamSelect.PROTOCOL_ID.equals(message)) {
                buf.release();
                throw new MultistreamException("unexpected header: " + printable(message));
            }
            headerReceived = true;
            MultistreamCodec.write(buf, MultistreamSelect.PROTOCOL_ID);
        } else {
            if (++rounds > MultistreamSelect.MAX_ROUNDS) {
                buf.release();
                throw new MultistreamException("more than " + MultistreamSelect.MAX_ROUNDS + " negotiation rounds");
            }
            if (LS.equals(message)) {
                MultistreamCodec.writeList(buf, List.copyOf(supported));
            } else if (supported.contains(message)) {
                MultistreamCodec.write(buf, message);
                selected = message;
                finished = true;
            } else {
                MultistreamCodec.write(buf, NA);
            }
        }
        ctx.write(buf);
        return true;
    }

    /** Lazy dialer: installs the protocol's handlers now, before the listener's echo. */
    private void handOver(ChannelHandlerContext ctx) {
        selected = proposals.get(0);
        handedOver = true;
        try {
            outcome.selected(ctx.channel(), selected);
        } catch (Exception | LinkageError e) {
            log.debug("{}: handler for {} failed to install", ctx.channel(), selected, e);
            finished = true;
            cancelTimeout();
            reportAndClose(ctx, new MultistreamException("installing " + selected + " failed: " + e));
        }
    }

    private void complete(ChannelHandlerContext ctx) {
        cancelTimeout();
        if (handedOver) {
            ctx.pipeline().remove(this); // confirmed: bytes behind the echo go to the handlers
            return;
        }
        try {
            outcome.selected(ctx.channel(), selected);
        } catch (Exception | LinkageError e) {
            log.debug("{}: handler for {} failed to install", ctx.channel(), selected, e);
            reportAndClose(ctx, new MultistreamException("installing " + selected + " failed: " + e));
            return;
        }
        // Bytes already buffered behind the final message go to the handlers just installed.
        ctx.pipeline().remove(this);
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        fail(ctx, new MultistreamException(reason));
    }

    private void fail(ChannelHandlerContext ctx, MultistreamException cause) {
        if (finished && selected != null) {
            return; // already succeeded
        }
        finished = true;
        cancelTimeout();
        reportAndClose(ctx, cause);
    }

    private void reportAndClose(ChannelHandlerContext ctx, MultistreamException cause) {
        selected = null;
        log.debug(
                "{}: multistream-select {} failed, closing: {}",
                ctx.channel(),
                dialer ? "dialer" : "listener",
                cause.getMessage());
        try {
            outcome.failed(ctx.channel(), cause);
            if (handedOver) {
                handedOver = false;
                ctx.fireExceptionCaught(cause); // the protocol's handlers already run: tell them why
            }
        } finally {
            ctx.close();
        }
    }

    /**
     * A lazy dialer's peer that does not support the protocol may reset the stream instead of
     * answering {@code na} (js-libp2p does once it reads the data behind the proposal as a
     * malformed next message): say which protocol was waiting for an answer.
     */
    private String closed(String what) {
        return handedOver ? what + " before the peer accepted " + selected : what + " during negotiation";
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished) {
            fail(ctx, closed("channel closed"));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent && !finished) {
            fail(ctx, closed("peer closed its side"));
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!finished) {
            fail(ctx, "channel error during negotiation: " + cause);
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelTimeout();
    }

    private void cancelTimeout() {
        if (timeout != null) {
            timeout.cancel(false);
            timeout = null;
        }
    }

    private static String printable(String message) {
        String cut = message.length() > 64 ? message.substring(0, 64) + "..." : message;
        StringBuilder sb = new StringBuilder(cut.length() + 2).append('"');
        cut.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                sb.append(String.format("\\x%02x", c));
            } else {
                sb.appendCodePoint(c);
            }
        });
        return sb.append('"').toString();
    }
}
