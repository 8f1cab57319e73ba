package io.restfs.node.pubsub;

import io.restfs.dht.crypto.Ed25519;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.id.NodeId;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The proofs two nodes exchange when they link over /ws: each shows it holds the cluster key (an HMAC-SHA256 over
 * the transcript, so the key itself never travels) and its own node key (an Ed25519 signature over the same
 * transcript). The transcript binds both nonces and both node ids, so a proof cannot be replayed on another link or
 * for another node; the role label keeps the server's proof from being reflected back as the client's.
 */
final class LinkProof {
    /** 32 random bytes per side: a nonce that never repeats in practice. */
    static final int NONCE_BYTES = 32;
    private static final String CONTEXT = "restfs-ws-link-v1";

    enum Role { CLIENT, SERVER }

    private LinkProof() {
    }

    static byte[] transcript(Role role, byte[] serverNonce, byte[] clientNonce, NodeId serverId, NodeId clientId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((CONTEXT + "/" + role.name().toLowerCase() + "\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(serverNonce);
        out.writeBytes(clientNonce);
        out.writeBytes(serverId.toBytes());
        out.writeBytes(clientId.toBytes());
        return out.toByteArray();
    }

    static byte[] mac(byte[] clusterKey, byte[] transcript) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(clusterKey, "HmacSHA256"));
            return mac.doFinal(transcript);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }

    static byte[] sign(Ed25519KeyPair key, byte[] transcript) {
        return key.sign(transcript);
    }

    /** True when {@code mac} is the cluster key's HMAC of the transcript and {@code sig} the peer's signature. */
    static boolean verify(byte[] clusterKey, byte[] transcript, byte[] mac, byte[] peerPublicKey, byte[] sig) {
        // Constant-time comparison: a timing leak must not let a stranger guess the MAC byte by byte.
        return MessageDigest.isEqual(mac(clusterKey, transcript), mac)
                && Ed25519.verify(peerPublicKey, transcript, sig);
    }
}
