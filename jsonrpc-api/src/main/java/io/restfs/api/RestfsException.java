package io.restfs.api;

import java.util.Objects;

/**
 * A failed API call: the stable {@link ErrorCode} a caller branches on, and a detail message that names
 * what failed (which bucket, which path, which limit) for a person to read.
 */
public class RestfsException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public RestfsException(ErrorCode code, String detail) {
        super(detail);
        this.code = Objects.requireNonNull(code, "code");
    }

    public RestfsException(ErrorCode code, String detail, Throwable cause) {
        super(detail, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    public String detail() {
        return getMessage();
    }

    @Override
    public String toString() {
        return code.name() + " (" + code.code() + "): " + getMessage();
    }
}
