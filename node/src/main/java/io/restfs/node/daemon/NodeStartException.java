package io.restfs.node.daemon;

/** A node that cannot start: which part failed and why, in words an operator can act on. */
public final class NodeStartException extends Exception {
    public NodeStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
