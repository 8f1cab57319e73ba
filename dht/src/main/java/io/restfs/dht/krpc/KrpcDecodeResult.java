package io.restfs.dht.krpc;

import java.util.Optional;

/** What {@link KrpcCodec#decode} made of a datagram: a message, or a description of why it is not one. */
public sealed interface KrpcDecodeResult permits KrpcDecodeResult.Decoded, KrpcDecodeResult.Malformed {

    /** A well-formed message. */
    record Decoded(KrpcMessage message) implements KrpcDecodeResult {
        public Decoded {
            Checks.present(message, "message");
        }
    }

    /**
     * A datagram that is not a valid KRPC message.
     *
     * @param reason        what was wrong, for logs and counters
     * @param transactionId the "t" when it could still be read, so a bad query can be answered
     * @param kind          the "y" when it could be read
     * @param errorCode     the KRPC error code that describes the defect: 203 (protocol error) in general, 205 or
     *                      207 when a BEP 44 value or salt was too big
     */
    record Malformed(String reason, Optional<TransactionId> transactionId, Optional<MessageKind> kind, int errorCode)
            implements KrpcDecodeResult {
        public Malformed {
            Checks.present(reason, "reason");
            Checks.present(transactionId, "transaction id");
            Checks.present(kind, "kind");
        }

        /**
         * The error to send back, present only for a query whose transaction id was readable: BEP 5 answers
         * queries, never responses or errors.
         */
        public Optional<KrpcError> reply() {
            if (kind.orElse(null) != MessageKind.QUERY || transactionId.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(new KrpcError(transactionId.get(), errorCode, reason));
        }
    }
}
