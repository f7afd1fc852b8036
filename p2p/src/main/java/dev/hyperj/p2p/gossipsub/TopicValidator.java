package dev.hyperj.p2p.gossipsub;

import dev.hyperj.p2p.peer.PeerId;
import java.util.concurrent.CompletionStage;

/**
 * Application check of a message before it is delivered and forwarded. May complete later (on any
 * thread): the router waits up to its validation timeout, then treats the message as IGNORE.
 * A validator that throws or completes exceptionally counts as IGNORE too.
 */
@FunctionalInterface
public interface TopicValidator {
    CompletionStage<ValidationResult> validate(PeerId receivedFrom, Rpc.Message message);
}
