package dev.hyperj.subnet.consensus;

import dev.hyperj.chain.runtime.NetworkReads.SubnetNodeInfo;
import dev.hyperj.p2p.gossipsub.Rpc;
import dev.hyperj.p2p.gossipsub.ValidationResult;
import dev.hyperj.p2p.peer.PeerId;
import dev.hyperj.subnet.epoch.EpochEvent;
import dev.hyperj.subnet.epoch.EpochView;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The heartbeat topic's rules, without I/O: which heartbeat this node sends at an epoch event,
 * which received ones it accepts, and what it records. {@link HeartbeatTopic} wires them to a
 * node's gossip; bench's heartbeat soak wires them to simulated routers.
 *
 * <p>Validation (SUBNET.md): a message that is not a heartbeat, names another subnet, or whose
 * signed sender is not the on-chain node it claims is REJECTed (the sender is penalised); one for
 * another epoch than the current one or the next, or a second one from a node in an epoch, is
 * IGNOREd (clocks at an epoch boundary differ by a block; that is no offence, and the next epoch's
 * heartbeat of a sender one block ahead is kept, so every node scores the same set).
 */
public final class Heartbeats {
    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    private final EpochView epochs;
    private final PeerId self;
    private final HeartbeatLog heartbeats;

    public Heartbeats(EpochView epochs, PeerId self, HeartbeatLog heartbeats) {
        this.epochs = epochs;
        this.self = self;
        this.heartbeats = heartbeats;
    }

    public HeartbeatLog log() {
        return heartbeats;
    }

    /** This node's heartbeat for the event's epoch; empty if it is no node of the subnet or has one recorded for the epoch. */
    public Optional<Heartbeat> toSend(EpochEvent ev) {
        Optional<SubnetNodeInfo> me = ev.snapshot().nodeByPeerId(self.toBase58());
        if (me.isEmpty()) {
            log.debug("{} is not a node of subnet {}: no heartbeat", self, ev.subnetId());
            return Optional.empty();
        }
        if (heartbeats.nodes(ev.epoch()).contains(me.get().node().id())) return Optional.empty();
        return Optional.of(new Heartbeat(
                self.toBase58(), ev.epoch(), ev.subnetId(), me.get().node().id()));
    }

    /** Records a delivered (so validated) heartbeat; false if it was recorded already or does not decode. */
    public boolean deliver(Rpc.Message m) {
        try {
            Heartbeat hb = Heartbeat.decode(m.data());
            return heartbeats.record(hb.epoch(), hb.subnetNodeId());
        } catch (HeartbeatFormatException e) {
            log.debug(
                    "undecodable heartbeat delivered: {}", e.getMessage()); // our own, or validated: should not happen
            return false;
        }
    }

    public ValidationResult check(Rpc.Message m) {
        Heartbeat hb;
        PeerId sender;
        try {
            hb = Heartbeat.decode(m.data());
            sender = PeerId.fromBytes(m.from());
        } catch (IllegalArgumentException e) {
            return ValidationResult.REJECT;
        }
        ValidationResult sent = NodeMessages.check(epochs, sender, hb.subnetId(), hb.subnetNodeId(), hb.epoch());
        if (sent != ValidationResult.ACCEPT) return sent;
        if (heartbeats.nodes(hb.epoch()).contains(hb.subnetNodeId())) return ValidationResult.IGNORE;
        return ValidationResult.ACCEPT;
    }
}
