package dev.hyperj.cli.devnet;

/**
 * A step of a devnet's start: {@code stage} changes a handful of times (starting the chain,
 * registering, starting nodes, waiting for activation, waiting for the first epoch);
 * {@code detail} moves within a stage (counts, block numbers).
 */
public record DevnetProgress(Stage stage, String detail) {
    public enum Stage {
        CHAIN,
        FUNDING,
        VALIDATORS,
        SUBNET,
        NODES_REGISTERED,
        NODES_STARTING,
        ACTIVATION,
        FIRST_EPOCH
    }

    /** One line for a person: "waiting for activation: block #23 of #40". */
    public String text() {
        String s = switch (stage) {
            case CHAIN -> "starting the dev chain";
            case FUNDING -> "funding coldkeys";
            case VALIDATORS -> "registering validators";
            case SUBNET -> "registering the subnet";
            case NODES_REGISTERED -> "registering subnet nodes";
            case NODES_STARTING -> "starting subnet nodes";
            case ACTIVATION -> "waiting to activate the subnet";
            case FIRST_EPOCH -> "subnet active, waiting for the first epoch";
        };
        return detail.isEmpty() ? s : s + ": " + detail;
    }
}
