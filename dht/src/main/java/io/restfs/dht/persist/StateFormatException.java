package io.restfs.dht.persist;

/** A saved record could not be read back: the state directory is damaged or from an unknown version. */
public final class StateFormatException extends RuntimeException {
    public StateFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
