package dev.hyperj.cli.logging;

import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.event.Level;

/**
 * How the {@code hyperj} commands log: to stderr, at WARN unless {@code --log-level} says
 * otherwise (a command's own output goes to stdout and must not drown), as text lines or JSON
 * lines ({@code --log-format json}), and with stack traces only under {@code --verbose}. Set once
 * by {@code Main} before a command runs; loggers read it on every call, so those created earlier
 * (static fields) follow it too.
 */
public final class CliLogging {
    public enum Format {
        TEXT,
        JSON
    }

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private static volatile Level level = Level.WARN;
    private static volatile Format format = Format.TEXT;
    private static volatile boolean stackTraces;
    private static volatile PrintStream out = System.err;

    private CliLogging() {}

    public static void configure(Level lvl, Format fmt, boolean verbose) {
        level = lvl;
        format = fmt;
        stackTraces = verbose;
    }

    /** Where log lines go (stderr unless a test says otherwise). */
    public static void output(PrintStream stream) {
        out = stream;
    }

    public static Level level() {
        return level;
    }

    static boolean enabled(Level l) {
        return l.toInt() >= level.toInt();
    }

    static void log(String logger, Level l, String message, Throwable error) {
        String line = format == Format.JSON ? json(logger, l, message, error) : text(logger, l, message, error);
        PrintStream o = out;
        synchronized (o) {
            o.println(line);
            if (error != null && stackTraces && format == Format.TEXT) {
                error.printStackTrace(o);
            }
        }
    }

    private static String text(String logger, Level l, String message, Throwable error) {
        StringBuilder b = new StringBuilder()
                .append(TIME.format(Instant.now()))
                .append(' ')
                .append(l.name().toLowerCase(Locale.ROOT))
                .append(' ')
                .append(shortName(logger))
                .append(": ")
                .append(message);
        if (error != null && !stackTraces) {
            b.append(" (").append(describe(error)).append("; --verbose shows the stack trace)");
        }
        return b.toString();
    }

    private static String json(String logger, Level l, String message, Throwable error) {
        StringBuilder b = new StringBuilder("{\"time\":\"")
                .append(Instant.now())
                .append("\",\"level\":\"")
                .append(l.name())
                .append("\",\"logger\":");
        quote(b, logger);
        b.append(",\"thread\":");
        quote(b, Thread.currentThread().getName());
        b.append(",\"message\":");
        quote(b, message);
        if (error != null) {
            b.append(",\"error\":");
            quote(b, describe(error));
            if (stackTraces) {
                java.io.StringWriter w = new java.io.StringWriter();
                error.printStackTrace(new java.io.PrintWriter(w));
                b.append(",\"stackTrace\":");
                quote(b, w.toString());
            }
        }
        return b.append('}').toString();
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : t.getClass().getSimpleName() + ": " + m.strip();
    }

    /** dev.hyperj.subnet.node.SubnetNode -> subnet.node.SubnetNode: the part that says something. */
    private static String shortName(String logger) {
        return logger.startsWith("dev.hyperj.") ? logger.substring("dev.hyperj.".length()) : logger;
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
