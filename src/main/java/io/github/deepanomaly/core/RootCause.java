package io.github.deepanomaly.core;

/**
 * The innermost cause of an exception: where a bad row or param was named in one line, before Spark wrapped
 * it in task and job failures.
 */
public final class RootCause {
    private RootCause() {
    }

    public static Throwable of(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
