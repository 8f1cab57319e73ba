package io.restfs.dht.node;

import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.KrpcCodec;
import io.restfs.dht.krpc.KrpcDecodeResult;
import io.restfs.dht.krpc.KrpcMessage;
import io.restfs.dht.krpc.KrpcQuery;
import io.restfs.dht.transport.Transport;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A peer that speaks KRPC through the real codec but answers by a fixed rule: stands in for foreign Mainline
 * nodes and misbehaving peers the way an external implementation would, with real packets.
 */
final class RawPeer {
    final NodeId id;
    final Transport transport;
    final KrpcCodec codec = new KrpcCodec();
    /** Responses and errors received (queries are answered by the rule, not recorded). */
    final List<KrpcMessage> received = new ArrayList<>();
    /** Queries received, whatever the rule answered. */
    final List<KrpcQuery> queries = new ArrayList<>();

    RawPeer(NodeId id, Transport transport, Function<KrpcQuery, KrpcMessage> rule) {
        this.id = id;
        this.transport = transport;
        transport.start((from, packet) -> {
            KrpcDecodeResult r = codec.decode(packet);
            if (r instanceof KrpcDecodeResult.Decoded d) {
                if (!(d.message() instanceof KrpcQuery)) {
                    received.add(d.message());
                }
                if (d.message() instanceof KrpcQuery q) {
                    queries.add(q);
                    KrpcMessage answer = rule.apply(q);
                    if (answer != null) {
                        transport.send(from, codec.encode(answer));
                    }
                }
            }
        });
    }

    void send(InetSocketAddress to, KrpcMessage message) {
        transport.send(to, codec.encode(message));
    }

    void sendRaw(InetSocketAddress to, byte[] packet) {
        transport.send(to, packet);
    }
}
