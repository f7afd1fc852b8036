package dev.hyperj.cli;

import dev.hyperj.examples.embeddings.EmbeddingsApp;
import dev.hyperj.examples.inference.InferenceApp;
import dev.hyperj.subnet.node.SubnetApplication;

/** The subnet applications the command line can run; every node of a subnet must run the same one. */
enum AppChoice {
    /** The example inference subnet (examples module): serves a model, answers each epoch's challenge, scores right answers. */
    inference,
    /**
     * The embeddings subnet (examples module): all-MiniLM-L6-v2 sentence embeddings served to peers and on POST
     * /v1/embeddings, spot-checked by the other nodes, a bit-exact challenge each epoch.
     */
    embeddings,
    /** The framework alone: heartbeats and consensus on who sent one. */
    heartbeat;

    /** Whether {@code --faulty} means something for this application. */
    boolean hasFaultyNodes() {
        return this != heartbeat;
    }

    SubnetApplication create(boolean faulty) {
        return switch (this) {
            case inference -> faulty ? InferenceApp.faulty() : new InferenceApp();
            case embeddings -> faulty ? EmbeddingsApp.faulty() : new EmbeddingsApp();
            case heartbeat -> new SubnetApplication() {};
        };
    }
}
