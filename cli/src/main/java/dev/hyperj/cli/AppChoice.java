package dev.hyperj.cli;

import dev.hyperj.examples.inference.InferenceApp;
import dev.hyperj.subnet.node.SubnetApplication;

/** The subnet applications the command line can run; every node of a subnet must run the same one. */
enum AppChoice {
    /** The example inference subnet (examples module): serves a model, answers each epoch's challenge, scores right answers. */
    inference,
    /** The framework alone: heartbeats and consensus on who sent one. */
    heartbeat;

    SubnetApplication create(boolean faulty) {
        return switch (this) {
            case inference -> faulty ? InferenceApp.faulty() : new InferenceApp();
            case heartbeat -> new SubnetApplication() {};
        };
    }
}
