package dev.hyperj.subnet.telemetry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.p2p.crypto.Keys;
import dev.hyperj.p2p.crypto.PublicKey;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.dag.CanonicalJson;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Decides whether a telemetry envelope is genuine, without I/O: size, shape, the key matching the
 * claimed peer id, the peer being a node of the claimed subnet on chain ({@code onChain}), the
 * signature, the clock window, and the sequence number (replays). A reporter pushes several events
 * at once, so they may arrive out of order: as in IPsec's anti-replay window, each peer's highest
 * sequence number and which of the {@link #REORDER_WINDOW} below it were seen are kept; an unseen
 * number inside the window is taken, a seen one or one below the window is a replay. Bounded: it
 * remembers at most {@link #MAX_PEERS} peers.
 */
public final class TelemetryVerifier {
    public static final int MAX_BYTES = 8 * 1024;
    static final int MAX_PEERS = 10_000;
    /** Sequence numbers below a peer's highest that may still arrive (twice the reporter's pushes in flight). */
    static final int REORDER_WINDOW = 64;

    private static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9_]{0,47}");

    /** Why an event was refused (its code names it in the collector's answer and counters). */
    public enum Refusal {
        OVERSIZED,
        MALFORMED,
        KEY_MISMATCH,
        FOREIGN,
        BAD_SIGNATURE,
        STALE,
        REPLAYED
    }

    /** Accepted (with the event) or refused (with why). */
    public record Verdict(TelemetryEvent event, Refusal refusal, String message) {
        public boolean accepted() {
            return refusal == null;
        }
    }

    private final BiPredicate<Integer, String> onChain;
    private final LongSupplier clock;
    private final Duration window;
    private final Map<String, SeqWindow> seen = new LinkedHashMap<>(16, 0.75f, true);

    /** A peer's highest sequence number, and in bit i whether highest - i was seen (bit 0: highest). */
    private record SeqWindow(long highest, long bits) {
        /** This window with {@code seq} taken, or null when {@code seq} is a replay or below the window. */
        SeqWindow take(long seq) {
            if (seq > highest) {
                long shift = seq - highest;
                return new SeqWindow(seq, shift >= REORDER_WINDOW ? 1L : (bits << shift) | 1L);
            }
            long back = highest - seq;
            if (back >= REORDER_WINDOW || (bits >>> back & 1L) != 0) return null;
            return new SeqWindow(highest, bits | 1L << back);
        }
    }

    /**
     * @param onChain whether a peer id is a node of a subnet on chain (subnet id, peer id)
     * @param clock   the collector's clock, epoch milliseconds
     * @param window  how far an event's timestamp may be from the clock
     */
    public TelemetryVerifier(BiPredicate<Integer, String> onChain, LongSupplier clock, Duration window) {
        this.onChain = onChain;
        this.clock = clock;
        this.window = window;
    }

    public synchronized Verdict verify(byte[] envelope) {
        if (envelope.length > MAX_BYTES)
            return refuse(Refusal.OVERSIZED, "an event is at most " + MAX_BYTES + " bytes, not " + envelope.length);
        JsonNode env, ev;
        PublicKey key;
        byte[] sig;
        TelemetryEvent e;
        try {
            env = CanonicalJson.parse(envelope);
            ev = env.get("event");
            if (ev == null || !ev.isObject()) throw new IllegalArgumentException("no event object");
            key = Keys.unmarshalPublicKey(Base64.getDecoder().decode(text(env, "public_key")));
            sig = Base64.getDecoder().decode(text(env, "signature"));
            String type = text(ev, "type");
            if (!TYPE.matcher(type).matches()) throw new IllegalArgumentException("bad type");
            if (!ev.path("subnet_id").canConvertToInt()
                    || !ev.path("seq").canConvertToLong()
                    || !ev.path("ts_ms").canConvertToLong())
                throw new IllegalArgumentException("subnet_id, seq and ts_ms are integers");
            e = new TelemetryEvent(
                    type,
                    text(ev, "peer_id"),
                    ev.get("subnet_id").intValue(),
                    ev.get("seq").longValue(),
                    ev.get("ts_ms").longValue(),
                    ev.get("data"));
        } catch (RuntimeException x) {
            return refuse(Refusal.MALFORMED, "not a telemetry envelope: " + x.getMessage());
        }
        String keyPeer = PeerId.fromPublicKey(key).toBase58();
        if (!keyPeer.equals(e.peerId()))
            return refuse(Refusal.KEY_MISMATCH, "the key is " + keyPeer + "'s, the event claims " + clip(e.peerId()));
        // the signature covers exactly the fields we read, re-encoded canonically
        if (!key.verify(TelemetryEvent.signingBytes(e.body()), sig))
            return refuse(Refusal.BAD_SIGNATURE, "the signature does not match the event");
        if (!onChain.test(e.subnetId(), e.peerId()))
            return refuse(Refusal.FOREIGN, e.peerId() + " is not a node of subnet " + e.subnetId() + " on chain");
        long now = clock.getAsLong();
        if (Math.abs(now - e.tsMillis()) > window.toMillis())
            return refuse(Refusal.STALE, "the event's time is " + (now - e.tsMillis()) + " ms from ours");
        SeqWindow before = seen.get(e.peerId());
        SeqWindow after = before == null ? new SeqWindow(e.seq(), 1L) : before.take(e.seq());
        if (after == null)
            return refuse(
                    Refusal.REPLAYED,
                    "seq " + e.seq() + " of " + e.peerId() + " was already seen or is older than the last "
                            + REORDER_WINDOW + " below " + before.highest());
        seen.put(e.peerId(), after);
        if (seen.size() > MAX_PEERS) {
            var it = seen.entrySet().iterator();
            it.next();
            it.remove();
        }
        return new Verdict(e, null, "");
    }

    private static Verdict refuse(Refusal r, String message) {
        return new Verdict(null, r, message);
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("\"" + field + "\" is required text");
        return v.asText();
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "..." : s;
    }
}
