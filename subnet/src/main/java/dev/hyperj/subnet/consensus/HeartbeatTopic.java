package dev.hyperj.subnet.consensus;

import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.Rpc;
import dev.hyperj.p2p.gossipsub.ValidationResult;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code heartbeat} topic: publishes this node's heartbeat once per subnet epoch (when it is a
 * node of the subnet) and records every valid heartbeat in a {@link HeartbeatLog}.
 *
 * <p>Validation (SUBNET.md): a message that is not a heartbeat, names another subnet, or whose
 * signed sender is not the on-chain node it claims is REJECTed (the sender is penalised); one for
 * another epoch than the current one or the next, or a second one from a node in an epoch, is
 * IGNOREd (clocks at an epoch boundary differ by a block; that is no offence, and the next epoch's
 * heartbeat of a sender one block ahead is kept, so every node scores the same set).
 */
public final class HeartbeatTopic implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatTopic.class);

    private final GossipSub gossip;
    private final EpochTracker tracker;
    private final PeerId self;
    private final HeartbeatLog heartbeats;
    private volatile AutoCloseable epochs;

    private HeartbeatTopic(GossipSub gossip, EpochTracker tracker, PeerId self, HeartbeatLog heartbeats) {
        this.gossip = gossip;
        this.tracker = tracker;
        this.self = self;
        this.heartbeats = heartbeats;
    }

    /** Installs the validator, subscribes, and publishes a heartbeat at every epoch event from now on. */
    public static CompletableFuture<HeartbeatTopic> join(
            GossipSub gossip, EpochTracker tracker, PeerId self, HeartbeatLog heartbeats) {
        HeartbeatTopic t = new HeartbeatTopic(gossip, tracker, self, heartbeats);
        return gossip.setValidator(Heartbeat.TOPIC, t::validate)
                .thenCompose(v -> gossip.subscribe(Heartbeat.TOPIC, d -> t.deliver(d.message())))
                .thenApply(v -> {
                    t.epochs = tracker.onEpoch(t::publishFor);
                    tracker.current().ifPresent(t::publishFor);
                    return t;
                });
    }

    public HeartbeatLog log() {
        return heartbeats;
    }

    /** Publishes this node's heartbeat for the event's epoch, if it is a node of the subnet. */
    void publishFor(EpochEvent ev) {
        Optional<SubnetNodeInfo> me = ev.snapshot().nodeByPeerId(self.toBase58());
        if (me.isEmpty()) {
            log.debug("{} is not a node of subnet {}: no heartbeat", self, ev.subnetId());
            return;
        }
        if (heartbeats.nodes(ev.epoch()).contains(me.get().node().id())) return;
        Heartbeat hb = new Heartbeat(
                self.toBase58(), ev.epoch(), ev.subnetId(), me.get().node().id());
        gossip.publish(Heartbeat.TOPIC, hb.encode()).whenComplete((id, err) -> {
            if (err != null) log.warn("heartbeat for epoch {} not published: {}", ev.epoch(), err.toString());
        });
    }

    private void deliver(Rpc.Message m) {
        try {
            Heartbeat hb = Heartbeat.decode(m.data());
            heartbeats.record(hb.epoch(), hb.subnetNodeId());
        } catch (HeartbeatFormatException e) {
            log.debug(
                    "undecodable heartbeat delivered: {}", e.getMessage()); // our own, or validated: should not happen
        }
    }

    CompletionStage<ValidationResult> validate(PeerId receivedFrom, Rpc.Message m) {
        return CompletableFuture.completedFuture(check(m));
    }

    ValidationResult check(Rpc.Message m) {
        Heartbeat hb;
        PeerId sender;
        try {
            hb = Heartbeat.decode(m.data());
            sender = PeerId.fromBytes(m.from());
        } catch (IllegalArgumentException e) {
            return ValidationResult.REJECT;
        }
        ValidationResult sent = NodeMessages.check(tracker, sender, hb.subnetId(), hb.subnetNodeId(), hb.epoch());
        if (sent != ValidationResult.ACCEPT) return sent;
        if (heartbeats.nodes(hb.epoch()).contains(hb.subnetNodeId())) return ValidationResult.IGNORE;
        return ValidationResult.ACCEPT;
    }

    @Override
    public void close() {
        AutoCloseable e = epochs;
        if (e != null) {
            try {
                e.close();
            } catch (Exception ex) {
                log.debug("closing: {}", ex.toString());
            }
        }
        gossip.unsubscribe(Heartbeat.TOPIC);
    }
}
