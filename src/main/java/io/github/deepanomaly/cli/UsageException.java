package io.github.deepanomaly.cli;

/** A mistake in what the user asked for: reported as one line, exit code 2, never with a stack trace. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
