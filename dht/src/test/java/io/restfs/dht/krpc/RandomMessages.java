package io.restfs.dht.krpc;

import io.restfs.dht.bencode.BDict;
import io.restfs.dht.bencode.BInteger;
import io.restfs.dht.bencode.BList;
import io.restfs.dht.bencode.BString;
import io.restfs.dht.bencode.BencodeValue;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;

/** Valid KRPC messages of every kind with random field values, drawn from a seeded {@link Random}. */
final class RandomMessages {
    private static final Ed25519KeyPair KEY = Ed25519KeyPair.fromSeed(new byte[32]);

    private final Random random;

    RandomMessages(Random random) {
        this.random = random;
    }

    KrpcMessage any() {
        int kind = random.nextInt(13);
        TransactionId t = TransactionId.of(bytes(random.nextInt(KrpcLimits.MAX_TRANSACTION_ID_BYTES + 1)));
        NodeId id = nodeId();
        KrpcMessage m = switch (kind) {
            case 0 -> new PingQuery(t, id);
            case 1 -> new FindNodeQuery(t, id, nodeId());
            case 2 -> new GetPeersQuery(t, id, nodeId());
            case 3 -> new AnnouncePeerQuery(t, id, nodeId(), random.nextInt(65536), random.nextBoolean(), token());
            case 4 -> new GetQuery(t, id, nodeId(), random.nextBoolean() ? OptionalLong.of(seq()) : OptionalLong.empty());
            case 5 -> new PutImmutableQuery(t, id, token(), value());
            case 6 -> new PutMutableQuery(t, id, token(), value(), bytes(32), bytes(64), seq(),
                    bytes(random.nextInt(KrpcLimits.MAX_SALT_BYTES + 1)),
                    random.nextBoolean() ? OptionalLong.of(seq()) : OptionalLong.empty());
            case 7 -> new RestfsInfoQuery(t, id);
            case 8 -> new UnknownQuery(t, id, "x_" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
            case 9 -> new KrpcError(t, random.nextInt(), text(),
                    random.nextBoolean() ? Optional.of(address(random.nextBoolean())) : Optional.empty());
            case 10 -> new RestfsSilentQuery(t, id, nodeId());
            default -> response(t, id);
        };
        // A quarter of the queries come from a BEP 43 read-only node.
        return m instanceof KrpcQuery q && random.nextInt(4) == 0 ? q.withReadOnly(true) : m;
    }

    KrpcResponse response(TransactionId t, NodeId id) {
        KrpcResponse.Builder b = KrpcResponse.builder(t, id);
        if (random.nextBoolean()) {
            b.ip(address(random.nextBoolean()));
        }
        if (random.nextBoolean()) {
            List<NodeInfo> nodes = new ArrayList<>();
            int n = random.nextInt(9);
            for (int i = 0; i < n; i++) {
                nodes.add(new NodeInfo(nodeId(), address(random.nextInt(4) == 0)));
            }
            b.nodes(nodes);
        }
        if (random.nextInt(4) == 0) {
            List<InetSocketAddress> peers = new ArrayList<>();
            int n = 1 + random.nextInt(10);
            for (int i = 0; i < n; i++) {
                peers.add(address(random.nextInt(4) == 0));
            }
            b.values(peers);
        }
        if (random.nextBoolean()) {
            b.token(token());
        }
        switch (random.nextInt(4)) {
            case 0 -> b.value(value());
            case 1 -> b.value(value()).mutable(bytes(32), bytes(64), seq());
            case 2 -> b.seq(seq());
            default -> { }
        }
        if (random.nextInt(5) == 0) {
            b.restfsInfo(RestfsNodeInfo.sign(KEY, "host-" + random.nextInt(1000) + ".example", random.nextInt(65536),
                    "rack-" + random.nextInt(10), random.nextLong() & Long.MAX_VALUE, random.nextLong() & Long.MAX_VALUE));
        }
        return b.build();
    }

    NodeId nodeId() {
        return NodeId.of(bytes(NodeId.LENGTH));
    }

    byte[] token() {
        return bytes(random.nextInt(KrpcLimits.MAX_TOKEN_BYTES + 1));
    }

    long seq() {
        return random.nextInt(3) == 0 ? random.nextLong() & Long.MAX_VALUE : random.nextInt(1000);
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(30);
        String alphabet = "abcdefghijklmnopqrstuvwxyz ABCXYZ0123456789éß漢";
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /** An encoded bencode value within BEP 44's 1000 bytes. */
    byte[] value() {
        while (true) {
            byte[] v = bencodeValue(3).encode();
            if (v.length <= KrpcLimits.MAX_VALUE_BYTES) {
                return v;
            }
        }
    }

    BencodeValue bencodeValue(int depth) {
        int pick = depth == 0 ? random.nextInt(2) : random.nextInt(4);
        switch (pick) {
            case 0:
                return new BString(bytes(random.nextInt(60)));
            case 1:
                return new BInteger(random.nextBoolean() ? random.nextLong() : random.nextInt(100) - 50);
            case 2: {
                List<BencodeValue> items = new ArrayList<>();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    items.add(bencodeValue(depth - 1));
                }
                return new BList(items);
            }
            default: {
                BDict.Builder b = BDict.builder();
                int n = random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    try {
                        b.put(new BString(bytes(1 + random.nextInt(6))), bencodeValue(depth - 1));
                    } catch (IllegalArgumentException duplicateKey) {
                        // drawn twice; keep the first
                    }
                }
                return b.build();
            }
        }
    }

    InetSocketAddress address(boolean ipv6) {
        try {
            InetAddress ip = ipv6 ? Inet6Address.getByAddress(null, bytes(16), -1) : InetAddress.getByAddress(bytes(4));
            return new InetSocketAddress(ip, random.nextInt(65536));
        } catch (UnknownHostException impossible) {
            throw new AssertionError(impossible);
        }
    }

    byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
