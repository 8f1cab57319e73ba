package io.restfs.dht.krpc;

import io.restfs.dht.crypto.Ed25519;
import io.restfs.dht.id.NodeId;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A KRPC response ("y" = "r"). A response does not name its method, so every method's answer decodes into this one
 * record and the engine matches it to its query by transaction id. Empty lists and empty optionals mean the field
 * was absent.
 *
 * @param transactionId the querier's transaction id, echoed
 * @param responder     the responding node's id ("r"."id")
 * @param ip            the querier's address as the responder saw it (BEP 42 top-level "ip")
 * @param nodes         IPv4 contacts ("nodes", BEP 5)
 * @param nodes6        IPv6 contacts ("nodes6", BEP 32)
 * @param values        compact peers of a get_peers answer ("values", BEP 5)
 * @param token         write token of a get_peers or get answer
 * @param value         bencoded BEP 44 item value "v", verbatim as received
 * @param publicKey     BEP 44 "k" (32 bytes)
 * @param signature     BEP 44 "sig" (64 bytes)
 * @param seq           BEP 44 "seq"
 * @param restfsInfo    the signed restfs node info of a restfs_info answer ("restfs")
 */
public record KrpcResponse(TransactionId transactionId, NodeId responder, Optional<InetSocketAddress> ip,
                           List<NodeInfo> nodes, List<NodeInfo> nodes6, List<InetSocketAddress> values,
                           Optional<byte[]> token, Optional<byte[]> value, Optional<byte[]> publicKey,
                           Optional<byte[]> signature, OptionalLong seq, Optional<RestfsNodeInfo> restfsInfo)
        implements KrpcMessage {
    public KrpcResponse {
        Checks.present(transactionId, "transaction id");
        Checks.present(responder, "id");
        Checks.present(ip, "ip").ifPresent(Compact::checkAddress);
        nodes = List.copyOf(nodes);
        nodes6 = List.copyOf(nodes6);
        values = List.copyOf(values);
        if (nodes.size() > KrpcLimits.MAX_NODES || nodes6.size() > KrpcLimits.MAX_NODES) {
            throw new IllegalArgumentException("more than " + KrpcLimits.MAX_NODES + " nodes");
        }
        // Indexed loops: a response is built for every answer a node sends, and an iterator each is garbage.
        for (int i = 0; i < nodes.size(); i++) {
            if (!nodes.get(i).isIpv4()) {
                throw new IllegalArgumentException("nodes holds IPv4 contacts only; put " + nodes.get(i) + " in nodes6");
            }
        }
        for (int i = 0; i < nodes6.size(); i++) {
            if (nodes6.get(i).isIpv4()) {
                throw new IllegalArgumentException("nodes6 holds IPv6 contacts only; put " + nodes6.get(i) + " in nodes");
            }
        }
        if (values.size() > KrpcLimits.MAX_VALUES) {
            throw new IllegalArgumentException("more than " + KrpcLimits.MAX_VALUES + " values");
        }
        values.forEach(Compact::checkAddress);
        Checks.present(token, "token").ifPresent(t -> Checks.atMost(t, KrpcLimits.MAX_TOKEN_BYTES, "token"));
        Checks.present(value, "v").ifPresent(EncodedValue::check);
        Checks.present(publicKey, "k").ifPresent(k -> Checks.exactly(k, Ed25519.PUBLIC_KEY_BYTES, "k"));
        Checks.present(signature, "sig").ifPresent(s -> Checks.exactly(s, Ed25519.SIGNATURE_BYTES, "sig"));
        Checks.present(seq, "seq");
        if (seq.isPresent()) {
            Checks.nonNegative(seq.getAsLong(), "seq");
        }
        Checks.present(restfsInfo, "restfs");
    }

    /** A response carrying only the responder's id (the answer to ping, announce_peer and put). */
    public static KrpcResponse of(TransactionId transactionId, NodeId responder) {
        return new KrpcResponse(transactionId, responder, Optional.empty(), List.of(), List.of(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), OptionalLong.empty(),
                Optional.empty());
    }

    public static Builder builder(TransactionId transactionId, NodeId responder) {
        return new Builder(transactionId, responder);
    }

    @Override
    public MessageKind kind() {
        return MessageKind.RESPONSE;
    }

    /** True when a BEP 44 value is present with k, sig and seq, i.e. a mutable item. */
    public boolean hasMutableItem() {
        return value.isPresent() && publicKey.isPresent() && signature.isPresent() && seq.isPresent();
    }

    private Object[] parts() {
        return new Object[] {transactionId, responder, ip, nodes, nodes6, values, token.orElse(null),
            value.orElse(null), publicKey.orElse(null), signature.orElse(null), seq, restfsInfo};
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KrpcResponse r && Arrays.deepEquals(parts(), r.parts());
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(parts());
    }

    @Override
    public String toString() {
        return "KrpcResponse[t=" + transactionId + ", id=" + responder + ip.map(a -> ", ip=" + a).orElse("")
                + (nodes.isEmpty() ? "" : ", nodes=" + nodes) + (nodes6.isEmpty() ? "" : ", nodes6=" + nodes6)
                + (values.isEmpty() ? "" : ", values=" + values)
                + token.map(t -> ", token=" + Hex.of(t)).orElse("") + value.map(v -> ", v=" + Hex.of(v)).orElse("")
                + publicKey.map(k -> ", k=" + Hex.of(k)).orElse("") + signature.map(s -> ", sig=" + Hex.of(s)).orElse("")
                + (seq.isPresent() ? ", seq=" + seq.getAsLong() : "") + restfsInfo.map(i -> ", restfs=" + i).orElse("")
                + "]";
    }

    /** Builds a response; every field but the transaction id and responder is optional. */
    public static final class Builder {
        private final TransactionId transactionId;
        private final NodeId responder;
        private Optional<InetSocketAddress> ip = Optional.empty();
        private List<NodeInfo> nodes = List.of();
        private List<NodeInfo> nodes6 = List.of();
        private List<InetSocketAddress> values = List.of();
        private Optional<byte[]> token = Optional.empty();
        private Optional<byte[]> value = Optional.empty();
        private Optional<byte[]> publicKey = Optional.empty();
        private Optional<byte[]> signature = Optional.empty();
        private OptionalLong seq = OptionalLong.empty();
        private Optional<RestfsNodeInfo> restfsInfo = Optional.empty();

        private Builder(TransactionId transactionId, NodeId responder) {
            this.transactionId = transactionId;
            this.responder = responder;
        }

        public Builder ip(InetSocketAddress ip) {
            this.ip = Optional.of(ip);
            return this;
        }

        /** Contacts of either family; IPv4 ones go to "nodes", IPv6 ones to "nodes6". */
        public Builder nodes(List<NodeInfo> contacts) {
            int ipv4 = 0;
            for (int i = 0; i < contacts.size(); i++) {
                if (contacts.get(i).isIpv4()) {
                    ipv4++;
                }
            }
            if (ipv4 == contacts.size()) {
                // The usual case (every answer to find_node in an IPv4 network): no filtering, and no copy of a list
                // that is already unmodifiable.
                this.nodes = List.copyOf(contacts);
                this.nodes6 = List.of();
            } else {
                this.nodes = contacts.stream().filter(NodeInfo::isIpv4).toList();
                this.nodes6 = contacts.stream().filter(n -> !n.isIpv4()).toList();
            }
            return this;
        }

        public Builder values(List<InetSocketAddress> peers) {
            this.values = peers;
            return this;
        }

        public Builder token(byte[] token) {
            this.token = Optional.of(token);
            return this;
        }

        /** An immutable item's value, or a mutable one's together with {@link #mutable}. */
        public Builder value(byte[] encodedValue) {
            this.value = Optional.of(encodedValue);
            return this;
        }

        public Builder mutable(byte[] publicKey, byte[] signature, long seq) {
            this.publicKey = Optional.of(publicKey);
            this.signature = Optional.of(signature);
            this.seq = OptionalLong.of(seq);
            return this;
        }

        /** Only the sequence number: the answer to a get whose seq is not older than the stored item (BEP 44). */
        public Builder seq(long seq) {
            this.seq = OptionalLong.of(seq);
            return this;
        }

        public Builder restfsInfo(RestfsNodeInfo info) {
            this.restfsInfo = Optional.of(info);
            return this;
        }

        public KrpcResponse build() {
            return new KrpcResponse(transactionId, responder, ip, nodes, nodes6, values, token, value, publicKey,
                    signature, seq, restfsInfo);
        }
    }
}
