package dev.hyperj.cli;

/** A failure the user can act on; its message is the whole story, printed as one line without a stack trace. */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
