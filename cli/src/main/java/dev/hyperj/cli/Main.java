package dev.hyperj.cli;

import dev.hyperj.cli.logging.CliLogging;
import java.io.PrintWriter;
import java.nio.file.Path;
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
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {
    /** Exit code of a command that failed while running (bad file, unreadable key, ...). */
    public static final int EXIT_FAILURE = 1;
    /** Exit code of a command line that could not be parsed (unknown option, bad value, ...). */
    public static final int EXIT_USAGE = 2;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces of errors.")
    boolean verbose;

    @Option(
            names = "--log-level",
            scope = ScopeType.INHERIT,
            paramLabel = "LEVEL",
            description = "Log on stderr from this level up: error, warn (default), info, debug or trace.")
    org.slf4j.event.Level logLevel = org.slf4j.event.Level.WARN;

    @Option(
            names = "--log-format",
            scope = ScopeType.INHERIT,
            paramLabel = "FORMAT",
            description = "Log lines as text (default) or json (one object per line).")
    CliLogging.Format logFormat = CliLogging.Format.TEXT;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** The configured command line, for {@link #main} and for tests that run commands in-process. */
    public static CommandLine commandLine() {
        Main main = new Main();
        CommandLine cmd = new CommandLine(main) {
            @Override
            public int execute(String... args) {
                try {
                    withConfigFile(this, args);
                } catch (CliException e) {
                    return onFailure(e, this, java.util.Arrays.asList(args).contains("--verbose"));
                }
                return super.execute(args);
            }
        };
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        TxCommand.listEveryCallInHelp(cmd.getSubcommands().get("tx"));
        cmd.setParameterExceptionHandler(Main::onUsageError);
        cmd.setExecutionStrategy(parseResult -> {
            CliLogging.configure(main.logLevel, main.logFormat, main.verbose || verboseRequested(parseResult));
            return new CommandLine.RunLast().execute(parseResult);
        });
        cmd.setExecutionExceptionHandler((e, commandLine, parseResult) ->
                onFailure(e, commandLine, main.verbose || verboseRequested(parseResult)));
        return cmd;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /**
     * Before parsing: if the subcommand being run takes {@code --config} and it is given, its file
     * becomes that subcommand's defaults, so even its required options may come from it and flags
     * still win. Parsing cannot do this itself: defaults are applied before options are read.
     */
    private static void withConfigFile(CommandLine cmd, String[] args) {
        CommandLine target = cmd;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            CommandLine sub = target.getSubcommands().get(a);
            if (sub != null && file == null) {
                target = sub;
            } else if (a.equals(ConfigFile.OPTION) && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (a.startsWith(ConfigFile.OPTION + "=")) {
                file = Path.of(a.substring(ConfigFile.OPTION.length() + 1));
            } else if (a.equals("--")) {
                break;
            }
        }
        for (CommandLine c : cmd.getSubcommands().values()) {
            c.setDefaultValueProvider(null); // a previous run's file must not linger
        }
        if (file != null && target.getCommandSpec().findOption(ConfigFile.OPTION) != null) {
            target.setDefaultValueProvider(ConfigFile.load(file, target.getCommandSpec()));
        }
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
