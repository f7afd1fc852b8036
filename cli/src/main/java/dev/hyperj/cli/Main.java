package dev.hyperj.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code hyperj} command: one entry point, a subcommand per job. */
@Command(name = "hyperj", mixinStandardHelpOptions = true, version = "hyperj 0.1.0",
        description = "HyperJ: Hypertensor's decentralized-AI network in Java.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
