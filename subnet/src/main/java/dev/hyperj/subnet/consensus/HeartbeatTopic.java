package dev.hyperj.subnet.consensus;

import dev.hyperj.p2p.gossipsub.GossipSub;
import dev.hyperj.p2p.gossipsub.Rpc;
import dev.hyperj.p2p.gossipsub.ValidationResult;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochTracker;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code heartbeat} topic on a node's gossip: publishes this node's heartbeat once per subnet
 * epoch (when it is a node of the subnet) and records every valid heartbeat in a
 * {@link HeartbeatLog}, by the rules of {@link Heartbeats}.
 */
public final class HeartbeatTopic implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(HeartbeatTopic.class);

    private final GossipSub gossip;
    private final Heartbeats rules;
    private final List<Consumer<Heartbeat>> sent = new CopyOnWriteArrayList<>();
    private volatile AutoCloseable epochs;

    private HeartbeatTopic(GossipSub gossip, Heartbeats rules) {
        this.gossip = gossip;
        this.rules = rules;
    }

    /** Installs the validator, subscribes, and publishes a heartbeat at every epoch event from now on. */
    public static CompletableFuture<HeartbeatTopic> join(
            GossipSub gossip, EpochTracker tracker, PeerId self, HeartbeatLog heartbeats) {
        HeartbeatTopic t = new HeartbeatTopic(gossip, new Heartbeats(tracker, self, heartbeats));
        return gossip.setValidator(Heartbeat.TOPIC, t::validate)
                .thenCompose(v -> gossip.subscribe(Heartbeat.TOPIC, d -> t.rules.deliver(d.message())))
                .thenApply(v -> {
                    t.epochs = tracker.onEpoch(t::publishFor);
                    tracker.current().ifPresent(t::publishFor);
                    return t;
                });
    }

    public HeartbeatLog log() {
        return rules.log();
    }

    /** Calls {@code listener} with each heartbeat this node published, once its router took it, until the handle is closed. */
    public AutoCloseable onSent(Consumer<Heartbeat> listener) {
        sent.add(listener);
        return () -> sent.remove(listener);
    }

    /** Publishes this node's heartbeat for the event's epoch, if it is a node of the subnet. */
    void publishFor(EpochEvent ev) {
        rules.toSend(ev)
                .ifPresent(hb -> gossip.publish(Heartbeat.TOPIC, hb.encode()).whenComplete((id, err) -> {
                    if (err != null) log.warn("heartbeat for epoch {} not published: {}", ev.epoch(), err.toString());
                    else sent.forEach(l -> l.accept(hb));
                }));
    }

    CompletionStage<ValidationResult> validate(PeerId receivedFrom, Rpc.Message m) {
        return CompletableFuture.completedFuture(check(m));
    }

    ValidationResult check(Rpc.Message m) {
        return rules.check(m);
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
