package io.restfs.dht.krpc;

/** One KRPC message (BEP 5): a query, a response or an error, all carrying the querier's transaction id. */
public sealed interface KrpcMessage permits KrpcQuery, KrpcResponse, KrpcError {
    TransactionId transactionId();

    MessageKind kind();
}
