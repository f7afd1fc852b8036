package dev.hyperj.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;

/**
 * The {@code hyperj} command: one entry point, a subcommand per job. Every failure, in any
 * subcommand, ends as one line on stderr and a non-zero exit code; {@code --verbose} adds the
 * stack trace.
 */
@Command(
        name = "hyperj",
        mixinStandardHelpOptions = true,
        version = "hyperj 0.1.0",
        description = "HyperJ: Hypertensor's decentralized-AI network in Java.",
        subcommands = {
            KeygenCommand.class,
            KeyviewCommand.class,
            AccountCommand.class,
            P2pCommand.class,
            ChainCommand.class,
            TxCommand.class,
            QueryCommand.class,
            NodeCommand.class,
            DevnetCommand.class,
            OverwatchCommand.class,
            DashboardCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit code of a command that failed while running (bad file, unreadable key, ...). */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a command line that could not be parsed (unknown option, bad value, ...). */
    public static final int EXIT_USAGE = 2;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean verbose;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line, for {@link #main} and for tests that run commands in-process. */
    public static CommandLine commandLine() {
        Main main = new Main();
        CommandLine cmd = new CommandLine(main);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        TxCommand.listEveryCallInHelp(cmd.getSubcommands().get("tx"));
        cmd.setParameterExceptionHandler(Main::onUsageError);
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) ->
                onFailure(e, commandLine, main.verbose || verboseRequested(parseResult)));
        return cmd;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    private static int onUsageError(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + oneLine(e.getMessage()) + " (see '"
                + cmd.getCommandSpec().qualifiedName() + " --help')");
        if (java.util.Arrays.asList(args).contains("--verbose")) {
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_USAGE;
    }

    private static int onFailure(Exception e, CommandLine cmd, boolean verbose) {
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        if (e instanceof CliException) {
            err.println(name + ": " + oneLine(e.getMessage()));
        } else {
            err.println(name + ": unexpected error: " + e.getClass().getSimpleName() + ": "
                    + oneLine(String.valueOf(e.getMessage())) + (verbose ? "" : " (run with --verbose for details)"));
        }
        if (verbose) {
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }

    private static boolean verboseRequested(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult r = parseResult; r != null; r = r.subcommand()) {
            if (r.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
