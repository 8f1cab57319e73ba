package io.restfs.dht.krpc;

import io.restfs.dht.bencode.BDict;
import io.restfs.dht.bencode.BInteger;
import io.restfs.dht.bencode.BList;
import io.restfs.dht.bencode.BString;
import io.restfs.dht.bencode.BencodeDecoder;
import io.restfs.dht.bencode.BencodeException;
import io.restfs.dht.bencode.BencodeLimits;
import io.restfs.dht.bencode.BencodeValue;
import io.restfs.dht.bencode.BencodeWriter;
import io.restfs.dht.crypto.Ed25519;
import io.restfs.dht.id.NodeId;
import io.netty.buffer.ByteBuf;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * KRPC (BEP 5, BEP 44 and the restfs extension) between datagrams and {@link KrpcMessage}s. Stateless and
 * thread-safe: one instance can serve every packet. Decoding never throws for bad input; it returns
 * {@link KrpcDecodeResult.Malformed}. Knows nothing of routing.
 */
public final class KrpcCodec {
    /** BEP 43's top-level key marking a query from a read-only node. */
    static final String READ_ONLY_KEY = "ro";

    private final BencodeDecoder strictDecoder;
    private final BencodeDecoder lenientDecoder;
    private final int maxPacketBytes;

    /** A codec for UDP datagrams of at most {@link BencodeLimits#KRPC_MAX_PACKET_BYTES}. */
    public KrpcCodec() {
        this(BencodeLimits.KRPC);
    }

    public KrpcCodec(BencodeLimits limits) {
        this.strictDecoder = new BencodeDecoder(limits);
        this.lenientDecoder = new BencodeDecoder(limits.lenient());
        this.maxPacketBytes = limits.maxInputBytes();
    }

    public int maxPacketBytes() {
        return maxPacketBytes;
    }

    /** Decodes the readable bytes of {@code packet} without moving its reader index. */
    public KrpcDecodeResult decode(ByteBuf packet) {
        int n = packet.readableBytes();
        if (n > maxPacketBytes) {
            return tooLarge(n);
        }
        byte[] bytes = new byte[n];
        packet.getBytes(packet.readerIndex(), bytes);
        return decodeOwned(bytes);
    }

    /** Decodes one datagram. The codec keeps a copy, so the caller may reuse {@code packet}. */
    public KrpcDecodeResult decode(byte[] packet) {
        if (packet.length > maxPacketBytes) {
            return tooLarge(packet.length);
        }
        return decodeOwned(packet.clone());
    }

    private KrpcDecodeResult tooLarge(int n) {
        return new KrpcDecodeResult.Malformed("packet of " + n + " bytes exceeds " + maxPacketBytes,
                Optional.empty(), Optional.empty(), KrpcError.PROTOCOL);
    }

    private KrpcDecodeResult decodeOwned(byte[] packet) {
        BencodeValue root;
        try {
            root = strictDecoder.decode(packet);
        } catch (BencodeException e) {
            return new KrpcDecodeResult.Malformed("bad bencode: " + e.getMessage(), salvageTransactionId(packet, e),
                    salvageKind(packet, e), KrpcError.PROTOCOL);
        }
        if (!(root instanceof BDict message)) {
            return malformed("message is not a dictionary", null, null, KrpcError.PROTOCOL);
        }
        TransactionId tid = transactionIdOf(message);
        MessageKind kind = kindOf(message);
        if (tid == null) {
            return malformed("missing or invalid transaction id \"t\"", null, kind, KrpcError.PROTOCOL);
        }
        if (kind == null) {
            return malformed("missing or invalid message type \"y\"", tid, null, KrpcError.PROTOCOL);
        }
        try {
            KrpcMessage decoded = switch (kind) {
                case QUERY -> query(tid, message);
                case RESPONSE -> response(tid, message);
                case ERROR -> error(tid, message);
            };
            return new KrpcDecodeResult.Decoded(decoded);
        } catch (Invalid e) {
            return malformed(e.getMessage(), tid, kind, e.code);
        } catch (IllegalArgumentException e) {
            // A record refused a value the checks above let through; still the sender's fault, still a 203.
            return malformed(e.getMessage(), tid, kind, KrpcError.PROTOCOL);
        }
    }

    private static KrpcDecodeResult malformed(String reason, TransactionId tid, MessageKind kind, int code) {
        return new KrpcDecodeResult.Malformed(reason, Optional.ofNullable(tid), Optional.ofNullable(kind), code);
    }

    /** Key order is the one defect that leaves "t" readable; a lenient pass recovers it so the query can get a 203. */
    private Optional<TransactionId> salvageTransactionId(byte[] packet, BencodeException e) {
        BDict d = lenientRoot(packet, e);
        return d == null ? Optional.empty() : Optional.ofNullable(transactionIdOf(d));
    }

    private Optional<MessageKind> salvageKind(byte[] packet, BencodeException e) {
        BDict d = lenientRoot(packet, e);
        return d == null ? Optional.empty() : Optional.ofNullable(kindOf(d));
    }

    private BDict lenientRoot(byte[] packet, BencodeException e) {
        if (e.reason() != BencodeException.Reason.UNSORTED_KEYS) {
            return null;
        }
        try {
            return lenientDecoder.decode(packet) instanceof BDict d ? d : null;
        } catch (BencodeException again) {
            return null;
        }
    }

    private static TransactionId transactionIdOf(BDict message) {
        if (message.get("t") instanceof BString t && t.length() <= KrpcLimits.MAX_TRANSACTION_ID_BYTES) {
            return TransactionId.of(t.bytes());
        }
        return null;
    }

    private static MessageKind kindOf(BDict message) {
        if (message.get("y") instanceof BString y && y.length() == 1) {
            return MessageKind.ofLetter(y.bytes()[0] & 0xff);
        }
        return null;
    }

    // ---------------------------------------------------------------- decoding

    private static KrpcQuery query(TransactionId tid, BDict message) throws Invalid {
        KrpcQuery q = queryArguments(tid, message);
        return readOnly(message) ? q.withReadOnly(true) : q;
    }

    /**
     * BEP 43: a read-only node puts {@code "ro": 1} in the top-level dictionary of its queries. Like libtorrent, any
     * non-zero integer counts; an "ro" that is not an integer is an unknown key of another meaning, so it is
     * ignored as KRPC ignores unknown keys rather than refusing the query.
     */
    private static boolean readOnly(BDict message) {
        return message.get(READ_ONLY_KEY) instanceof BInteger ro && ro.value() != 0;
    }

    private static KrpcQuery queryArguments(TransactionId tid, BDict message) throws Invalid {
        byte[] methodBytes = string(message, "q", 1, KrpcLimits.MAX_METHOD_BYTES);
        String method = new String(methodBytes, StandardCharsets.ISO_8859_1);
        BDict a = dict(message, "a");
        NodeId sender = id(a, "id");
        switch (method) {
            case KrpcQuery.PING:
                return new PingQuery(tid, sender);
            case KrpcQuery.FIND_NODE:
                return new FindNodeQuery(tid, sender, id(a, "target"));
            case KrpcQuery.GET_PEERS:
                return new GetPeersQuery(tid, sender, id(a, "info_hash"));
            case KrpcQuery.ANNOUNCE_PEER: {
                NodeId infoHash = id(a, "info_hash");
                OptionalLong implied = optionalInteger(a, "implied_port");
                boolean impliedPort = implied.isPresent() && implied.getAsLong() != 0;
                OptionalLong port = optionalInteger(a, "port");
                if (port.isEmpty() && !impliedPort) {
                    throw new Invalid("announce_peer without port");
                }
                long p = port.orElse(0);
                if (p < 0 || p > 0xffff) {
                    throw new Invalid("announce_peer port out of range: " + p);
                }
                byte[] token = string(a, "token", 0, KrpcLimits.MAX_TOKEN_BYTES);
                return new AnnouncePeerQuery(tid, sender, infoHash, (int) p, impliedPort, token);
            }
            case KrpcQuery.GET: {
                NodeId target = id(a, "target");
                return new GetQuery(tid, sender, target, optionalSeq(a, "seq"));
            }
            case KrpcQuery.PUT:
                return put(tid, sender, a);
            case KrpcQuery.RESTFS_INFO:
                return new RestfsInfoQuery(tid, sender);
            case KrpcQuery.RESTFS_SILENT:
                return new RestfsSilentQuery(tid, sender, id(a, "target"));
            default:
                return new UnknownQuery(tid, sender, method);
        }
    }

    private static KrpcQuery put(TransactionId tid, NodeId sender, BDict a) throws Invalid {
        byte[] token = string(a, "token", 0, KrpcLimits.MAX_TOKEN_BYTES);
        byte[] value = rawValue(a);
        if (value == null) {
            throw new Invalid("put without v");
        }
        if (!a.containsKey("k")) {
            if (a.containsKey("sig") || a.containsKey("seq") || a.containsKey("salt") || a.containsKey("cas")) {
                throw new Invalid("put with mutable-item fields but no k");
            }
            return new PutImmutableQuery(tid, sender, token, value);
        }
        byte[] k = string(a, "k", Ed25519.PUBLIC_KEY_BYTES, Ed25519.PUBLIC_KEY_BYTES);
        byte[] sig = string(a, "sig", Ed25519.SIGNATURE_BYTES, Ed25519.SIGNATURE_BYTES);
        OptionalLong seq = optionalSeq(a, "seq");
        if (seq.isEmpty()) {
            throw new Invalid("mutable put without seq");
        }
        byte[] salt = new byte[0];
        if (a.containsKey("salt")) {
            if (!(a.get("salt") instanceof BString s)) {
                throw new Invalid("salt is not a string");
            }
            if (s.length() > KrpcLimits.MAX_SALT_BYTES) {
                throw new Invalid("salt of " + s.length() + " bytes exceeds " + KrpcLimits.MAX_SALT_BYTES,
                        KrpcError.SALT_TOO_BIG);
            }
            salt = s.bytes();
        }
        OptionalLong cas = optionalSeq(a, "cas");
        return new PutMutableQuery(tid, sender, token, value, k, sig, seq.getAsLong(), salt, cas);
    }

    private static KrpcResponse response(TransactionId tid, BDict message) throws Invalid {
        BDict r = dict(message, "r");
        KrpcResponse.Builder b = KrpcResponse.builder(tid, id(r, "id"));
        ip(message).ifPresent(b::ip);
        List<NodeInfo> contacts = new ArrayList<>();
        contacts.addAll(nodes(r, "nodes", NodeInfo.COMPACT_IPV4_BYTES, false));
        contacts.addAll(nodes(r, "nodes6", NodeInfo.COMPACT_IPV6_BYTES, true));
        b.nodes(contacts);
        if (r.containsKey("values")) {
            b.values(peers(r));
        }
        if (r.containsKey("token")) {
            b.token(string(r, "token", 0, KrpcLimits.MAX_TOKEN_BYTES));
        }
        byte[] value = rawValue(r);
        if (value != null) {
            b.value(value);
        }
        OptionalLong seq = optionalSeq(r, "seq");
        if (r.containsKey("k") || r.containsKey("sig")) {
            if (seq.isEmpty()) {
                throw new Invalid("k or sig without seq");
            }
            b.mutable(string(r, "k", Ed25519.PUBLIC_KEY_BYTES, Ed25519.PUBLIC_KEY_BYTES),
                    string(r, "sig", Ed25519.SIGNATURE_BYTES, Ed25519.SIGNATURE_BYTES), seq.getAsLong());
        } else if (seq.isPresent()) {
            b.seq(seq.getAsLong());
        }
        if (r.containsKey("restfs")) {
            b.restfsInfo(restfsInfo(dict(r, "restfs")));
        }
        return b.build();
    }

    private static KrpcError error(TransactionId tid, BDict message) throws Invalid {
        if (!(message.get("e") instanceof BList e) || e.size() < 1 || e.size() > 2) {
            throw new Invalid("error \"e\" is not a list of [code, message]");
        }
        if (!(e.get(0) instanceof BInteger code) || code.value() < Integer.MIN_VALUE || code.value() > Integer.MAX_VALUE) {
            throw new Invalid("error code is not a 32-bit integer");
        }
        String text = "";
        if (e.size() == 2) {
            if (!(e.get(1) instanceof BString s)) {
                throw new Invalid("error message is not a string");
            }
            text = s.utf8();
        }
        return new KrpcError(tid, (int) code.value(), text, ip(message));
    }

    private static RestfsNodeInfo restfsInfo(BDict d) throws Invalid {
        byte[] pk = string(d, "pk", Ed25519.PUBLIC_KEY_BYTES, Ed25519.PUBLIC_KEY_BYTES);
        String host = utf8(string(d, "host", 0, KrpcLimits.MAX_HOST_BYTES), "host");
        long port = integer(d, "port");
        if (port < 0 || port > 0xffff) {
            throw new Invalid("restfs port out of range: " + port);
        }
        String group = utf8(string(d, "fg", 0, KrpcLimits.MAX_FAILURE_GROUP_BYTES), "fg");
        long cap = integer(d, "cap");
        long ts = integer(d, "ts");
        if (cap < 0 || ts < 0) {
            throw new Invalid("restfs cap and ts must not be negative");
        }
        byte[] sig = string(d, "sig", Ed25519.SIGNATURE_BYTES, Ed25519.SIGNATURE_BYTES);
        return new RestfsNodeInfo(pk, host, (int) port, group, cap, ts, sig);
    }

    private static Optional<InetSocketAddress> ip(BDict message) throws Invalid {
        if (!message.containsKey("ip")) {
            return Optional.empty();
        }
        if (!(message.get("ip") instanceof BString s)) {
            throw new Invalid("ip is not a string");
        }
        InetSocketAddress a = Compact.peer(s.bytes(), 0, s.length());
        if (a == null) {
            throw new Invalid("ip must be 6 or 18 bytes, got " + s.length());
        }
        return Optional.of(a);
    }

    private static List<NodeInfo> nodes(BDict r, String key, int each, boolean ipv6) throws Invalid {
        if (!r.containsKey(key)) {
            return List.of();
        }
        if (!(r.get(key) instanceof BString s)) {
            throw new Invalid(key + " is not a string");
        }
        if (s.length() % each != 0) {
            throw new Invalid(key + " length " + s.length() + " is not a multiple of " + each);
        }
        if (s.length() / each > KrpcLimits.MAX_NODES) {
            throw new Invalid(key + " holds more than " + KrpcLimits.MAX_NODES + " contacts");
        }
        return Compact.nodes(s.bytes(), ipv6);
    }

    private static List<InetSocketAddress> peers(BDict r) throws Invalid {
        if (!(r.get("values") instanceof BList list)) {
            throw new Invalid("values is not a list");
        }
        if (list.size() > KrpcLimits.MAX_VALUES) {
            throw new Invalid("values holds more than " + KrpcLimits.MAX_VALUES + " peers");
        }
        List<InetSocketAddress> peers = new ArrayList<>(list.size());
        for (BencodeValue item : list.items()) {
            InetSocketAddress a = item instanceof BString s ? Compact.peer(s.bytes(), 0, s.length()) : null;
            if (a == null) {
                throw new Invalid("values entry is not a 6- or 18-byte compact peer");
            }
            peers.add(a);
        }
        return peers;
    }

    private static byte[] rawValue(BDict d) throws Invalid {
        byte[] raw = d.rawValue("v");
        if (raw != null && raw.length > KrpcLimits.MAX_VALUE_BYTES) {
            throw new Invalid("v of " + raw.length + " bytes exceeds " + KrpcLimits.MAX_VALUE_BYTES,
                    KrpcError.VALUE_TOO_BIG);
        }
        return raw;
    }

    private static BDict dict(BDict d, String key) throws Invalid {
        if (d.get(key) instanceof BDict v) {
            return v;
        }
        throw new Invalid(d.containsKey(key) ? "\"" + key + "\" is not a dictionary" : "missing \"" + key + "\"");
    }

    private static byte[] string(BDict d, String key, int min, int max) throws Invalid {
        BencodeValue v = d.get(key);
        if (!(v instanceof BString s)) {
            throw new Invalid(v == null ? "missing \"" + key + "\"" : "\"" + key + "\" is not a string");
        }
        if (s.length() < min || s.length() > max) {
            throw new Invalid("\"" + key + "\" has " + s.length() + " bytes, expected "
                    + (min == max ? String.valueOf(min) : min + " to " + max));
        }
        return s.bytes();
    }

    private static NodeId id(BDict d, String key) throws Invalid {
        return NodeId.of(string(d, key, NodeId.LENGTH, NodeId.LENGTH));
    }

    private static long integer(BDict d, String key) throws Invalid {
        BencodeValue v = d.get(key);
        if (v instanceof BInteger i) {
            return i.value();
        }
        throw new Invalid(v == null ? "missing \"" + key + "\"" : "\"" + key + "\" is not an integer");
    }

    private static OptionalLong optionalInteger(BDict d, String key) throws Invalid {
        return d.containsKey(key) ? OptionalLong.of(integer(d, key)) : OptionalLong.empty();
    }

    /** BEP 44 allows refusing negative sequence numbers; restfs does, for seq and cas alike. */
    private static OptionalLong optionalSeq(BDict d, String key) throws Invalid {
        OptionalLong v = optionalInteger(d, key);
        if (v.isPresent() && v.getAsLong() < 0) {
            throw new Invalid("\"" + key + "\" must not be negative: " + v.getAsLong());
        }
        return v;
    }

    private static String utf8(byte[] bytes, String field) throws Invalid {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new Invalid(field + " is not valid UTF-8");
        }
    }

    /** A field-level defect; cheap (no stack trace) because hostile packets are routine. */
    private static final class Invalid extends Exception {
        final int code;

        Invalid(String reason) {
            this(reason, KrpcError.PROTOCOL);
        }

        Invalid(String reason, int code) {
            super(reason, null, false, false);
            this.code = code;
        }
    }

    // ---------------------------------------------------------------- encoding

    /** The datagram for {@code message}, canonical bencode. */
    public byte[] encode(KrpcMessage message) {
        BencodeWriter w = new BencodeWriter(256);
        write(message, w);
        return w.toByteArray();
    }

    /**
     * The length of {@link #encode}'s datagram for {@code message}, computed without encoding it: what a transport
     * that carries messages as records (a simulator's) counts as bytes sent and checks against the datagram limit.
     * Mirrors {@link #write} field by field; a property test holds the two together.
     */
    public int encodedSize(KrpcMessage message) {
        int n = 2; // d ... e
        if (message instanceof KrpcQuery q) {
            n += keySize(1) + argumentsSize(q);
            n += keySize(1) + stringSize(q.method().length()); // ISO-8859-1: one byte per char
            if (q.readOnly()) {
                n += keySize(READ_ONLY_KEY.length()) + integerSize(1);
            }
        } else if (message instanceof KrpcResponse r) {
            if (r.ip().isPresent()) {
                n += keySize(2) + stringSize(peerSize(r.ip().get()));
            }
            n += keySize(1) + resultSize(r);
        } else if (message instanceof KrpcError e) {
            n += keySize(1) + 2 + integerSize(e.code()) + stringSize(utf8Length(e.message()));
            if (e.ip().isPresent()) {
                n += keySize(2) + stringSize(peerSize(e.ip().get()));
            }
        } else {
            throw new IllegalArgumentException("unknown KRPC message " + message);
        }
        n += keySize(1) + stringSize(message.transactionId().length());
        n += keySize(1) + stringSize(1);
        return n;
    }

    private static int argumentsSize(KrpcQuery query) {
        int n = 2;
        if (query instanceof PutMutableQuery p && p.cas().isPresent()) {
            n += keySize(3) + integerSize(p.cas().getAsLong());
        }
        n += keySize(2) + ID_SIZE;
        if (query instanceof PingQuery || query instanceof RestfsInfoQuery || query instanceof UnknownQuery) {
            return n;
        } else if (query instanceof FindNodeQuery || query instanceof RestfsSilentQuery) {
            return n + keySize(6) + ID_SIZE;
        } else if (query instanceof GetPeersQuery) {
            return n + keySize(9) + ID_SIZE;
        } else if (query instanceof AnnouncePeerQuery a) {
            if (a.impliedPort()) {
                n += keySize(12) + integerSize(1);
            }
            return n + keySize(9) + ID_SIZE + keySize(4) + integerSize(a.port()) + keySize(5)
                    + stringSize(a.token().length);
        } else if (query instanceof GetQuery g) {
            if (g.seq().isPresent()) {
                n += keySize(3) + integerSize(g.seq().getAsLong());
            }
            return n + keySize(6) + ID_SIZE;
        } else if (query instanceof PutImmutableQuery p) {
            return n + keySize(5) + stringSize(p.token().length) + keySize(1) + p.value().length;
        } else if (query instanceof PutMutableQuery p) {
            n += keySize(1) + stringSize(p.publicKey().length);
            if (p.salt().length > 0) {
                n += keySize(4) + stringSize(p.salt().length);
            }
            return n + keySize(3) + integerSize(p.seq()) + keySize(3) + stringSize(p.signature().length)
                    + keySize(5) + stringSize(p.token().length) + keySize(1) + p.value().length;
        }
        throw new IllegalArgumentException("unknown query " + query);
    }

    private static int resultSize(KrpcResponse r) {
        int n = 2 + keySize(2) + ID_SIZE;
        if (r.publicKey().isPresent()) {
            n += keySize(1) + stringSize(r.publicKey().get().length);
        }
        if (!r.nodes().isEmpty()) {
            n += keySize(5) + stringSize(r.nodes().size() * NodeInfo.COMPACT_IPV4_BYTES);
        }
        if (!r.nodes6().isEmpty()) {
            n += keySize(6) + stringSize(r.nodes6().size() * NodeInfo.COMPACT_IPV6_BYTES);
        }
        if (r.restfsInfo().isPresent()) {
            RestfsNodeInfo i = r.restfsInfo().get();
            n += keySize(6) + 2 + keySize(3) + integerSize(i.freeBytes()) + keySize(2)
                    + stringSize(utf8Length(i.failureGroup())) + keySize(4) + stringSize(utf8Length(i.shardHost()))
                    + keySize(2) + stringSize(i.publicKey().length) + keySize(4) + integerSize(i.shardPort())
                    + keySize(3) + stringSize(i.signature().length) + keySize(2) + integerSize(i.timestampMillis());
        }
        if (r.seq().isPresent()) {
            n += keySize(3) + integerSize(r.seq().getAsLong());
        }
        if (r.signature().isPresent()) {
            n += keySize(3) + stringSize(r.signature().get().length);
        }
        if (r.token().isPresent()) {
            n += keySize(5) + stringSize(r.token().get().length);
        }
        if (r.value().isPresent()) {
            n += keySize(1) + r.value().get().length;
        }
        if (!r.values().isEmpty()) {
            n += keySize(6) + 2;
            for (InetSocketAddress peer : r.values()) {
                n += stringSize(peerSize(peer));
            }
        }
        return n;
    }

    /** A node id as a bencoded string: "20:" and 20 bytes. */
    private static final int ID_SIZE = 3 + NodeId.LENGTH;

    private static int keySize(int asciiLength) {
        return stringSize(asciiLength);
    }

    private static int stringSize(int length) {
        return decimalLength(length) + 1 + length;
    }

    private static int integerSize(long value) {
        return 2 + decimalLength(value);
    }

    /** Characters of {@code Long.toString(value)}. */
    private static int decimalLength(long value) {
        if (value < 0) {
            return Long.toString(value).length();
        }
        int digits = 1;
        while (value >= 10) {
            value /= 10;
            digits++;
        }
        return digits;
    }

    private static int peerSize(InetSocketAddress a) {
        return (a.getAddress() instanceof java.net.Inet4Address ? 4 : 16) + 2;
    }

    /** Bytes of {@code s} in UTF-8, as {@code getBytes(UTF_8)} gives them (ASCII counted without a copy). */
    private static int utf8Length(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return s.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        return s.length();
    }

    /** Writes the datagram for {@code message} into {@code out}. */
    public void encode(KrpcMessage message, ByteBuf out) {
        out.writeBytes(encode(message));
    }

    private static void write(KrpcMessage message, BencodeWriter w) {
        w.beginDict();
        if (message instanceof KrpcQuery q) {
            w.key("a");
            writeArguments(q, w);
            w.key("q").string(q.method().getBytes(StandardCharsets.ISO_8859_1));
            if (q.readOnly()) {
                // BEP 43: "ro" sits in the top-level dictionary, between "q" and "t" in key order.
                w.key(READ_ONLY_KEY).integer(1);
            }
        } else if (message instanceof KrpcResponse r) {
            r.ip().ifPresent(a -> w.key("ip").string(Compact.peer(a)));
            w.key("r");
            writeResult(r, w);
        } else if (message instanceof KrpcError e) {
            w.key("e").beginList().integer(e.code()).string(e.message()).end();
            e.ip().ifPresent(a -> w.key("ip").string(Compact.peer(a)));
        } else {
            throw new IllegalArgumentException("unknown KRPC message " + message);
        }
        w.key("t").string(message.transactionId().raw());
        w.key("y").string(new byte[] {(byte) message.kind().letter()});
        w.end();
    }

    private static void writeArguments(KrpcQuery query, BencodeWriter w) {
        w.beginDict();
        if (query instanceof PutMutableQuery p && p.cas().isPresent()) {
            w.key("cas").integer(p.cas().getAsLong());
        }
        w.key("id").string(query.sender().toBytes());
        if (query instanceof PingQuery || query instanceof RestfsInfoQuery || query instanceof UnknownQuery) {
            // id only
        } else if (query instanceof FindNodeQuery f) {
            w.key("target").string(f.target().toBytes());
        } else if (query instanceof RestfsSilentQuery q) {
            w.key("target").string(q.silent().toBytes());
        } else if (query instanceof GetPeersQuery g) {
            w.key("info_hash").string(g.infoHash().toBytes());
        } else if (query instanceof AnnouncePeerQuery a) {
            if (a.impliedPort()) {
                w.key("implied_port").integer(1);
            }
            w.key("info_hash").string(a.infoHash().toBytes());
            w.key("port").integer(a.port());
            w.key("token").string(a.token());
        } else if (query instanceof GetQuery g) {
            if (g.seq().isPresent()) {
                w.key("seq").integer(g.seq().getAsLong());
            }
            w.key("target").string(g.target().toBytes());
        } else if (query instanceof PutImmutableQuery p) {
            w.key("token").string(p.token());
            w.key("v").raw(p.value());
        } else if (query instanceof PutMutableQuery p) {
            w.key("k").string(p.publicKey());
            if (p.salt().length > 0) {
                w.key("salt").string(p.salt());
            }
            w.key("seq").integer(p.seq());
            w.key("sig").string(p.signature());
            w.key("token").string(p.token());
            w.key("v").raw(p.value());
        } else {
            throw new IllegalArgumentException("unknown query " + query);
        }
        w.end();
    }

    private static void writeResult(KrpcResponse r, BencodeWriter w) {
        w.beginDict();
        w.key("id").string(r.responder().toBytes());
        r.publicKey().ifPresent(k -> w.key("k").string(k));
        if (!r.nodes().isEmpty()) {
            w.key("nodes").string(Compact.nodes(r.nodes(), false));
        }
        if (!r.nodes6().isEmpty()) {
            w.key("nodes6").string(Compact.nodes(r.nodes6(), true));
        }
        r.restfsInfo().ifPresent(i -> {
            w.key("restfs");
            i.writeTo(w);
        });
        if (r.seq().isPresent()) {
            w.key("seq").integer(r.seq().getAsLong());
        }
        r.signature().ifPresent(s -> w.key("sig").string(s));
        r.token().ifPresent(t -> w.key("token").string(t));
        r.value().ifPresent(v -> w.key("v").raw(v));
        if (!r.values().isEmpty()) {
            w.key("values").beginList();
            for (InetSocketAddress peer : r.values()) {
                w.string(Compact.peer(peer));
            }
            w.end();
        }
        w.end();
    }
}
