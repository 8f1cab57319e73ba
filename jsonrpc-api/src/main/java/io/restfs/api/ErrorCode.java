package io.restfs.api;

import java.util.Optional;

/**
 * Every error the restfs API returns, with its stable numeric code. The JSON-RPC 2.0 codes come from
 * section 5.1 of the specification; restfs's own codes live in the range the specification leaves to
 * servers (-32000 to -32099) and never change meaning once published.
 */
public enum ErrorCode {
    PARSE_ERROR(-32700, "parse error"),
    INVALID_REQUEST(-32600, "invalid request"),
    METHOD_NOT_FOUND(-32601, "method not found"),
    INVALID_PARAMS(-32602, "invalid params"),
    INTERNAL_ERROR(-32603, "internal error"),

    /** No bearer token, or one the node does not know. */
    UNAUTHORIZED(-32001, "unauthorized"),
    /** The token is valid but grants no such right on this bucket. */
    FORBIDDEN(-32002, "forbidden"),
    NOT_FOUND(-32003, "not found"),
    ALREADY_EXISTS(-32004, "already exists"),
    /** A compare-and-swap lost: the object or bucket changed since the version the caller named. */
    CONFLICT(-32005, "conflict"),
    NOT_EMPTY(-32006, "not empty"),
    /** Fewer data-holding nodes than the bucket's k+m, and the bucket does not allow doubling up. */
    INSUFFICIENT_NODES(-32007, "insufficient nodes"),
    /** Fewer than k good shards of a segment could be fetched. */
    UNAVAILABLE(-32008, "data unavailable"),
    /** A node or the cluster is out of space. */
    CAPACITY_EXCEEDED(-32009, "capacity exceeded"),
    /** A request, body or value over a documented limit. */
    TOO_LARGE(-32010, "too large"),
    /** Stored data failed a hash or authentication check and no good copy could be found. */
    INTEGRITY(-32011, "integrity check failed"),
    /** The node is starting, stopping or not joined to a cluster. */
    NOT_READY(-32012, "not ready");

    private final int code;
    private final String message;

    ErrorCode(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    /** The short message the JSON-RPC error object carries; details go in its {@code data}. */
    public String message() {
        return message;
    }

    public static Optional<ErrorCode> of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
