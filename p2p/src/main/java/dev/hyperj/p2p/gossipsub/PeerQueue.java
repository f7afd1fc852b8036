package dev.hyperj.p2p.gossipsub;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A peer's bounded send queue with two lanes: priority (published and forwarded messages,
 * subscriptions, GRAFT/PRUNE, IDONTWANT) and gossip (IHAVE, IWANT and IWANT replies). When the
 * bound is reached gossip is shed first, then new priority RPCs are dropped: a slow peer loses
 * traffic, nobody else waits for it.
 */
final class PeerQueue {
    private record Item(Rpc rpc, int size) {}

    private final int maxRpcs;
    private final int maxBytes;
    private final int coalesceBytes;
    private final RpcLimits limits;
    private final ArrayDeque<Item> priority = new ArrayDeque<>();
    private final ArrayDeque<Item> gossip = new ArrayDeque<>();
    private int bytes;
    long droppedPriority;
    long droppedGossip;

    PeerQueue(int maxRpcs, int maxBytes, int coalesceBytes, RpcLimits limits) {
        this.limits = limits;
        this.maxRpcs = maxRpcs;
        this.maxBytes = maxBytes;
        this.coalesceBytes = coalesceBytes;
    }

    boolean isEmpty() {
        return priority.isEmpty() && gossip.isEmpty();
    }

    int size() {
        return priority.size() + gossip.size();
    }

    int bytes() {
        return bytes;
    }

    /** Queues an RPC; false if it was dropped. */
    boolean offer(Rpc rpc, boolean isGossip) {
        int size = RpcCodec.encodedSize(rpc);
        if (isGossip) {
            if (size() + 1 > maxRpcs || bytes + size > maxBytes) {
                droppedGossip++;
                return false;
            }
            gossip.add(new Item(rpc, size));
        } else {
            while ((size() + 1 > maxRpcs || bytes + size > maxBytes) && !gossip.isEmpty()) {
                bytes -= gossip.pollFirst().size();
                droppedGossip++;
            }
            if (size() + 1 > maxRpcs || bytes + size > maxBytes) {
                droppedPriority++;
                return false;
            }
            priority.add(new Item(rpc, size));
        }
        bytes += size;
        return true;
    }

    /** The next RPC to send, merging queued RPCs of the same lane up to the coalescing size. */
    Rpc poll() {
        ArrayDeque<Item> lane = !priority.isEmpty() ? priority : gossip;
        Item first = lane.pollFirst();
        if (first == null) return null;
        bytes -= first.size();
        if (lane.isEmpty() || first.size() + lane.peekFirst().size() > coalesceBytes) {
            return first.rpc();
        }
        List<Rpc.SubOpts> subs = new ArrayList<>(first.rpc().subscriptions());
        List<Rpc.Message> msgs = new ArrayList<>(first.rpc().publish());
        Rpc.Control c = first.rpc().control();
        List<Rpc.IHave> ihave = new ArrayList<>(c.ihave());
        List<Rpc.IWant> iwant = new ArrayList<>(c.iwant());
        List<Rpc.Graft> graft = new ArrayList<>(c.graft());
        List<Rpc.Prune> prune = new ArrayList<>(c.prune());
        List<Rpc.IDontWant> idw = new ArrayList<>(c.idontwant());
        int total = first.size();
        int entries = c.entries();
        while (!lane.isEmpty() && total + lane.peekFirst().size() <= coalesceBytes) {
            Rpc next = lane.peekFirst().rpc();
            // Never merge past what the receiver's decoder accepts.
            if (subs.size() + next.subscriptions().size() > limits.maxSubscriptions()
                    || msgs.size() + next.publish().size() > limits.maxMessages()
                    || entries + next.control().entries() > limits.maxControlEntries()) {
                break;
            }
            entries += next.control().entries();
            Item it = lane.pollFirst();
            bytes -= it.size();
            total += it.size();
            subs.addAll(it.rpc().subscriptions());
            msgs.addAll(it.rpc().publish());
            Rpc.Control ic = it.rpc().control();
            ihave.addAll(ic.ihave());
            iwant.addAll(ic.iwant());
            graft.addAll(ic.graft());
            prune.addAll(ic.prune());
            idw.addAll(ic.idontwant());
        }
        return new Rpc(subs, msgs, new Rpc.Control(ihave, iwant, graft, prune, idw));
    }

    void clear() {
        priority.clear();
        gossip.clear();
        bytes = 0;
    }
}
