package io.restfs.dht.rpc;

import java.net.InetSocketAddress;

/** A call that did not get a response: it timed out, or the peer answered with a KRPC error. */
public final class RpcException extends Exception {
    /** Code used for timeouts, outside the KRPC range. */
    public static final int TIMEOUT = -1;

    private final InetSocketAddress peer;
    private final String method;
    private final int code;

    public RpcException(InetSocketAddress peer, String method, int code, String message) {
        super(method + " to " + peer + (code == TIMEOUT ? " timed out" : " failed with KRPC error " + code)
                + (message.isEmpty() ? "" : ": " + message));
        this.peer = peer;
        this.method = method;
        this.code = code;
    }

    public InetSocketAddress peer() {
        return peer;
    }

    public String method() {
        return method;
    }

    /** The KRPC error code (201-204, 205-207, 301, 302...) or {@link #TIMEOUT}. */
    public int code() {
        return code;
    }

    public boolean isTimeout() {
        return code == TIMEOUT;
    }
}
