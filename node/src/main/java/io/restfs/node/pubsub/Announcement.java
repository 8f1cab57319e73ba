package io.restfs.node.pubsub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.dht.crypto.Ed25519;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A node's statement about itself, signed with its node key: who it is, where to reach it, its failure group and
 * capacity. A higher {@code seq} replaces a lower one; {@code leaving} says it is shutting down. Anyone may relay
 * it, no one can forge it: receivers check the signature and that the id is SHA-1 of the public key.
 */
public record Announcement(NodeId nodeId, byte[] publicKey, String host, int apiPort, int dhtPort, int shardPort,
                           String group, long capacityBytes, long freeBytes, long seq, boolean leaving,
                           byte[] signature) {
    /** Domain separation: these bytes are signed for nothing else. */
    private static final String CONTEXT = "restfs-announce-v1";
    /** Host names are at most 253 characters (RFC 1035); groups are limited by the config to 64. */
    static final int MAX_TEXT = 253;

    public static Announcement sign(Ed25519KeyPair key, String host, int apiPort, int dhtPort, int shardPort,
                                    String group, long capacityBytes, long freeBytes, long seq, boolean leaving) {
        byte[] pk = key.publicKey();
        NodeId id = key.nodeId();
        byte[] sig = key.sign(signedBytes(id, host, apiPort, dhtPort, shardPort, group, capacityBytes, freeBytes,
                seq, leaving));
        return new Announcement(id, pk, host, apiPort, dhtPort, shardPort, group, capacityBytes, freeBytes, seq,
                leaving, sig);
    }

    /** Why this announcement must not be believed, or empty when it is genuine. */
    public Optional<String> problem() {
        if (publicKey.length != Ed25519.PUBLIC_KEY_BYTES) {
            return Optional.of("public key is not " + Ed25519.PUBLIC_KEY_BYTES + " bytes");
        }
        if (!Ed25519.nodeIdOf(publicKey).equals(nodeId)) {
            return Optional.of("node id " + nodeId.toHex() + " is not SHA-1 of its public key");
        }
        if (!Ed25519.verify(publicKey, signedBytes(nodeId, host, apiPort, dhtPort, shardPort, group, capacityBytes,
                freeBytes, seq, leaving), signature)) {
            return Optional.of("signature does not verify for node " + nodeId.toHex());
        }
        return Optional.empty();
    }

    public InetSocketAddress dhtAddress() {
        return new InetSocketAddress(host, dhtPort);
    }

    public String apiUrl() {
        return "http://" + hostForUrl() + ":" + apiPort;
    }

    String hostForUrl() {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** The same statement with a new signature: for tests that forge one field. */
    Announcement withSignature(byte[] sig) {
        return new Announcement(nodeId, publicKey, host, apiPort, dhtPort, shardPort, group, capacityBytes, freeBytes,
                seq, leaving, sig);
    }

    ObjectNode toJson() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("nodeId", nodeId.toHex());
        o.put("publicKey", b64.encodeToString(publicKey));
        o.put("host", host);
        o.put("apiPort", apiPort);
        o.put("dhtPort", dhtPort);
        o.put("shardPort", shardPort);
        o.put("group", group);
        o.put("capacityBytes", capacityBytes);
        o.put("freeBytes", freeBytes);
        o.put("seq", seq);
        o.put("leaving", leaving);
        o.put("sig", b64.encodeToString(signature));
        return o;
    }

    /** Reads an announcement's JSON; a missing or mistyped field is an {@link IllegalArgumentException}. */
    static Announcement fromJson(JsonNode o) {
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("announcement must be an object");
        }
        Base64.Decoder b64 = Base64.getUrlDecoder();
        return new Announcement(NodeId.fromHex(text(o, "nodeId", 40)), b64.decode(text(o, "publicKey", 64)),
                text(o, "host", MAX_TEXT), port(o, "apiPort"), port(o, "dhtPort"), port(o, "shardPort"),
                text(o, "group", MAX_TEXT), number(o, "capacityBytes"), number(o, "freeBytes"), number(o, "seq"),
                bool(o, "leaving"), b64.decode(text(o, "sig", 128)));
    }

    private static String text(JsonNode o, String field, int max) {
        JsonNode v = o.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty() || v.asText().length() > max) {
            throw new IllegalArgumentException("announcement field " + field + " must be a string of 1.." + max);
        }
        return v.asText();
    }

    private static int port(JsonNode o, String field) {
        long n = number(o, field);
        if (n < 1 || n > 65_535) {
            throw new IllegalArgumentException("announcement field " + field + " must be a port");
        }
        return (int) n;
    }

    private static long number(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < 0) {
            throw new IllegalArgumentException("announcement field " + field + " must be a whole number >= 0");
        }
        return v.asLong();
    }

    private static boolean bool(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException("announcement field " + field + " must be true or false");
        }
        return v.asBoolean();
    }

    /** Each field length-prefixed, so no choice of host or group can make two statements sign alike. */
    private static byte[] signedBytes(NodeId id, String host, int apiPort, int dhtPort, int shardPort, String group,
                                      long capacity, long free, long seq, boolean leaving) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String field : new String[] {CONTEXT, id.toHex(), host, Integer.toString(apiPort),
            Integer.toString(dhtPort), Integer.toString(shardPort), group, Long.toString(capacity), Long.toString(free),
            Long.toString(seq), Boolean.toString(leaving)}) {
            byte[] b = field.getBytes(StandardCharsets.UTF_8);
            out.writeBytes((b.length + ":").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(b);
        }
        return out.toByteArray();
    }
}
