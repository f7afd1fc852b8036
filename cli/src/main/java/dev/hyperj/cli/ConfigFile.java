package dev.hyperj.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE} for long-running commands: a properties file with one key per option,
 * named like the flag without its dashes ({@code rpc-port = 9944}, {@code instant-seal = true}),
 * read as the command's defaults so flags on the command line override it. A command opts in
 * with {@code @Mixin ConfigFile config;}; {@link Main} loads the file and parses again.
 */
public final class ConfigFile {
    static final String OPTION = "--config";
    /** No option file is near this large; a bigger one is a mistake (a database, a log). */
    static final long MAX_BYTES = 1 << 20;

    @Option(
            names = OPTION,
            paramLabel = "FILE",
            description = "Read options from FILE: one 'name = value' per line, names as the flags without"
                    + " '--'; flags given here win.")
    Path file;

    /** A default value provider serving {@code file}'s values to the options of {@code spec}. */
    static CommandLine.IDefaultValueProvider load(Path file, CommandSpec spec) {
        Properties p = new Properties();
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new CliException("config file " + file + " is over 1 MiB; is it the right file?");
            }
            try (Reader r = Files.newBufferedReader(file)) {
                p.load(r);
            }
        } catch (NoSuchFileException e) {
            throw new CliException("config file " + file.toAbsolutePath() + " does not exist");
        } catch (IOException | IllegalArgumentException e) {
            throw new CliException("cannot read config file " + file + ": " + e.getMessage());
        }
        Map<String, OptionSpec> byKey = new LinkedHashMap<>();
        for (OptionSpec o : spec.options()) {
            byKey.put(key(o), o);
        }
        for (String k : p.stringPropertyNames()) {
            OptionSpec o = byKey.get(k);
            if (o == null || o.usageHelp() || o.versionHelp() || o.longestName().equals(OPTION)) {
                TreeSet<String> known = new TreeSet<>(byKey.keySet());
                known.removeIf(n -> n.equals("help") || n.equals("version") || n.equals("config"));
                throw new CliException("config file " + file + ": unknown key '" + k + "' for " + spec.qualifiedName()
                        + " (known: " + String.join(", ", known) + ")");
            }
        }
        return (ArgSpec arg) -> arg instanceof OptionSpec o ? p.getProperty(key(o)) : null;
    }

    private static String key(OptionSpec o) {
        return o.longestName().replaceFirst("^-+", "");
    }
}
