package io.restfs.node.cli.dht;

/**
 * A failure the command reports as one line and an exit code, never as a stack trace: bad input (exit
 * {@link #USAGE}), or a DHT operation that did not succeed (exit {@link #FAILED}).
 */
final class CliFailure extends Exception {
    /** picocli's own exit code for bad arguments, so all usage errors look alike to scripts. */
    static final int USAGE = 2;
    /** The operation ran but failed: unreachable peer, timeout, nothing stored or found. */
    static final int FAILED = 1;

    private final int exitCode;

    private CliFailure(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    static CliFailure badInput(String message) {
        return new CliFailure(USAGE, message);
    }

    static CliFailure failed(String message) {
        return new CliFailure(FAILED, message);
    }

    int exitCode() {
        return exitCode;
    }
}
