package io.restfs.node.transfer;

import java.io.IOException;

/**
 * Thrown to the store thread reading an incoming shard when the stream is cut short (the peer
 * aborted, broke the protocol, sent a different END hash, or the connection closed); carries the
 * status the server then reports. An IOException so that it travels through {@code InputStream.read}.
 */
final class StreamAbortedException extends IOException {

    private final TransferStatus status;

    StreamAbortedException(TransferStatus status, String message) {
        super(message);
        this.status = status;
    }

    TransferStatus status() {
        return status;
    }
}
