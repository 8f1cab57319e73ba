package io.restfs.dht.krpc;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A KRPC error ("y" = "e", BEP 5): a code and a human-readable message. {@code ip} is the querier's address as the
 * responder saw it (BEP 42), when sent.
 */
public record KrpcError(TransactionId transactionId, int code, String message, Optional<InetSocketAddress> ip)
        implements KrpcMessage {
    /** BEP 5 error codes. */
    public static final int GENERIC = 201;
    public static final int SERVER = 202;
    public static final int PROTOCOL = 203;
    public static final int METHOD_UNKNOWN = 204;
    /** BEP 44 error codes. */
    public static final int VALUE_TOO_BIG = 205;
    public static final int INVALID_SIGNATURE = 206;
    public static final int SALT_TOO_BIG = 207;
    public static final int CAS_MISMATCH = 301;
    public static final int SEQ_LESS_THAN_CURRENT = 302;

    public KrpcError {
        Checks.present(transactionId, "transaction id");
        Checks.present(message, "message");
        Checks.present(ip, "ip");
        ip.ifPresent(Compact::checkAddress);
    }

    public KrpcError(TransactionId transactionId, int code, String message) {
        this(transactionId, code, message, Optional.empty());
    }

    @Override
    public MessageKind kind() {
        return MessageKind.ERROR;
    }
}
