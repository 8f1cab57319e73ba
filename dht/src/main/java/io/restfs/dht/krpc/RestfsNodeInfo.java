package io.restfs.dht.krpc;

import io.restfs.dht.bencode.BencodeWriter;
import io.restfs.dht.crypto.Ed25519;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What a restfs node tells peers about itself in a {@code restfs_info} response: its Ed25519 public key (its node id
 * is the key's SHA-1), where it accepts shard transfers, its failure group and free capacity, and when it said so,
 * all signed by that key. On the wire it is the dictionary {@code r.restfs} with keys
 * {@code cap, fg, host, pk, port, sig, ts}; the signature covers the canonical bencoding of that dictionary
 * without {@code sig}.
 *
 * @param publicKey       32-byte Ed25519 public key
 * @param shardHost       host name or IP literal of the shard-transfer endpoint; empty when the node serves no
 *                        shards (see {@link #servesShards()})
 * @param shardPort       TCP port of the shard-transfer endpoint
 * @param failureGroup    operator label; shards of one segment go to distinct groups first
 * @param freeBytes       free storage capacity in bytes
 * @param timestampMillis when the info was signed, milliseconds since the epoch by the node's clock
 * @param signature       64-byte Ed25519 signature over {@link #signedPayload()}
 */
public record RestfsNodeInfo(byte[] publicKey, String shardHost, int shardPort, String failureGroup, long freeBytes,
                             long timestampMillis, byte[] signature) {
    public RestfsNodeInfo {
        Checks.exactly(publicKey, Ed25519.PUBLIC_KEY_BYTES, "pk");
        Checks.present(shardHost, "host");
        Checks.atMost(shardHost.getBytes(StandardCharsets.UTF_8), KrpcLimits.MAX_HOST_BYTES, "host");
        Checks.port(shardPort, "port");
        Checks.present(failureGroup, "fg");
        Checks.atMost(failureGroup.getBytes(StandardCharsets.UTF_8), KrpcLimits.MAX_FAILURE_GROUP_BYTES, "fg");
        Checks.nonNegative(freeBytes, "cap");
        Checks.nonNegative(timestampMillis, "ts");
        Checks.exactly(signature, Ed25519.SIGNATURE_BYTES, "sig");
    }

    /** Builds and signs the info with {@code key}. */
    public static RestfsNodeInfo sign(Ed25519KeyPair key, String shardHost, int shardPort, String failureGroup,
                                      long freeBytes, long timestampMillis) {
        byte[] pk = key.publicKey();
        byte[] payload = payload(pk, shardHost, shardPort, failureGroup, freeBytes, timestampMillis);
        return new RestfsNodeInfo(pk, shardHost, shardPort, failureGroup, freeBytes, timestampMillis, key.sign(payload));
    }

    /** The bytes the signature covers: {@code d3:capi..e2:fg..4:host..2:pk32:..4:porti..e2:tsi..ee}. */
    public byte[] signedPayload() {
        return payload(publicKey, shardHost, shardPort, failureGroup, freeBytes, timestampMillis);
    }

    /** True when the signature is valid for the fields under {@code publicKey}. */
    public boolean signatureValid() {
        return Ed25519.verify(publicKey, signedPayload(), signature);
    }

    /** {@link #signatureValid()} through {@code verifier}. */
    public boolean signatureValid(io.restfs.dht.crypto.SignatureVerifier verifier) {
        return verifier.verify(publicKey, signedPayload(), signature);
    }

    /** False for a node that advertises no shard-transfer endpoint (empty host or port 0). */
    public boolean servesShards() {
        return !shardHost.isEmpty() && shardPort != 0;
    }

    /** The node id this key stands for (SHA-1 of the public key); peers compare it with the sender's id. */
    public NodeId nodeId() {
        return Ed25519.nodeIdOf(publicKey);
    }

    private static byte[] payload(byte[] pk, String host, int port, String group, long free, long ts) {
        BencodeWriter w = new BencodeWriter(160);
        w.beginDict();
        writeFields(w, pk, host, port, group, free, ts, null);
        w.end();
        return w.toByteArray();
    }

    /** Writes the dictionary body in canonical key order; {@code sig} is left out when null. */
    static void writeFields(BencodeWriter w, byte[] pk, String host, int port, String group, long free, long ts,
                            byte[] sig) {
        w.key("cap").integer(free);
        w.key("fg").string(group);
        w.key("host").string(host);
        w.key("pk").string(pk);
        w.key("port").integer(port);
        if (sig != null) {
            w.key("sig").string(sig);
        }
        w.key("ts").integer(ts);
    }

    void writeTo(BencodeWriter w) {
        w.beginDict();
        writeFields(w, publicKey, shardHost, shardPort, failureGroup, freeBytes, timestampMillis, signature);
        w.end();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RestfsNodeInfo i && Arrays.equals(publicKey, i.publicKey) && shardHost.equals(i.shardHost)
                && shardPort == i.shardPort && failureGroup.equals(i.failureGroup) && freeBytes == i.freeBytes
                && timestampMillis == i.timestampMillis && Arrays.equals(signature, i.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(new Object[] {publicKey, shardHost, shardPort, failureGroup, freeBytes, timestampMillis, signature});
    }

    @Override
    public String toString() {
        return "RestfsNodeInfo[pk=" + Hex.of(publicKey) + ", shard=" + shardHost + ":" + shardPort + ", fg="
                + failureGroup + ", cap=" + freeBytes + ", ts=" + timestampMillis + "]";
    }
}
