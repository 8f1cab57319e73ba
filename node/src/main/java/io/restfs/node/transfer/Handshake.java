package io.restfs.node.transfer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.restfs.dht.crypto.Ed25519;

/**
 * The proofs of the mutual handshake. Each side sends HELLO (public key, fresh nonce), then AUTH: an
 * Ed25519 signature with its node key and an HMAC-SHA256 with the cluster key, both over the
 * transcript {@code context | role | client key | server key | client nonce | server nonce}.
 *
 * <p>The role ("client" or "server") is the sender's own, so the transcript binds the direction: the
 * client's proof can't be reflected back to it as the server's (the keys and nonces would match, the
 * role would not). Fresh nonces from both sides mean no proof can be replayed on another connection.
 * The server proves itself only after the client has, so an outsider learns nothing but the server's
 * public key. Both sides then derive {@link #sessionKeys} that tag every later frame
 * ({@link SessionMac}). Nothing here encrypts; see {@link ShardTransferServer} for what that leaves open.
 */
final class Handshake {

    /**
     * Bumped when the frame layout or the transcript changes; peers must speak the same one. 2: frames
     * after the handshake carry tags under session keys ({@link SessionMac}).
     */
    static final int PROTOCOL_VERSION = 2;

    private static final byte[] CONTEXT = "restfs shard transfer v2".getBytes(StandardCharsets.US_ASCII);

    /** The labels of the two session keys, in the place of the role in a transcript. */
    private static final byte[] CLIENT_TO_SERVER = "client to server frames".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SERVER_TO_CLIENT = "server to client frames".getBytes(StandardCharsets.US_ASCII);

    /** The keys that tag the frames after the handshake, one per direction. */
    record SessionKeys(byte[] clientToServer, byte[] serverToClient) {
    }

    enum Role {
        CLIENT("client"), SERVER("server");

        private final byte[] label;

        Role(String label) {
            this.label = label.getBytes(StandardCharsets.US_ASCII);
        }
    }

    private Handshake() {
    }

    /** What a side with {@code role} signs and MACs. */
    static byte[] transcript(Role role, byte[] clientKey, byte[] serverKey, byte[] clientNonce, byte[] serverNonce) {
        return serialize(role.label, clientKey, serverKey, clientNonce, serverNonce);
    }

    /**
     * The session keys of a connection whose handshake had these keys and nonces: HMAC-SHA256 with the
     * cluster key over the transcript with a direction's label in the place of the role. Fresh nonces
     * make them fresh per connection, and the labels differ from the roles, so no key is ever an AUTH's
     * MAC that went over the wire. Anyone holding the cluster key who saw the HELLOs could compute them
     * too: the cluster key stays the boundary of trust, as in the handshake itself.
     */
    static SessionKeys sessionKeys(byte[] clusterKey, byte[] clientKey, byte[] serverKey, byte[] clientNonce,
                                   byte[] serverNonce) {
        return new SessionKeys(
                mac(clusterKey, serialize(CLIENT_TO_SERVER, clientKey, serverKey, clientNonce, serverNonce)),
                mac(clusterKey, serialize(SERVER_TO_CLIENT, clientKey, serverKey, clientNonce, serverNonce)));
    }

    private static byte[] serialize(byte[] label, byte[] clientKey, byte[] serverKey, byte[] clientNonce,
                                    byte[] serverNonce) {
        // The label carries its length and every other field has a fixed size, so two different
        // transcripts can never serialize to the same bytes.
        byte[] out = new byte[CONTEXT.length + 1 + label.length + 4 * 32];
        int p = 0;
        System.arraycopy(CONTEXT, 0, out, p, CONTEXT.length);
        p += CONTEXT.length;
        out[p++] = (byte) label.length;
        for (byte[] part : new byte[][] {label, clientKey, serverKey, clientNonce, serverNonce}) {
            System.arraycopy(part, 0, out, p, part.length);
            p += part.length;
        }
        return out;
    }

    /** This side's AUTH frame for {@code transcript}. */
    static Frame.Auth prove(ClusterIdentity identity, byte[] transcript) {
        return new Frame.Auth(identity.nodeKey().sign(transcript), mac(identity.clusterKey(), transcript));
    }

    /** Why the peer's AUTH fails to prove it holds {@code peerKey} and the cluster key, or empty if it proves both. */
    static Optional<String> check(Frame.Auth auth, byte[] peerKey, byte[] clusterKey, byte[] peerTranscript) {
        if (!Ed25519.verify(peerKey, peerTranscript, auth.signature())) {
            return Optional.of("signature does not verify under the claimed node key");
        }
        if (!MessageDigest.isEqual(mac(clusterKey, peerTranscript), auth.mac())) {
            return Optional.of("cluster key proof does not match (not a member of this cluster)");
        }
        return Optional.empty();
    }

    private static byte[] mac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK provides HmacSHA256", e);
        }
    }
}
