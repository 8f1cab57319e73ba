package io.restfs.dht.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A signature verifier that remembers its verdicts: the key is SHA-256(public key || signature || message), so a
 * verdict is reused only for exactly the same bytes, and hashing (about a microsecond) replaces a verification
 * (tens of microseconds). Bounded: the least recently used verdict is forgotten first, which is deterministic for
 * a deterministic sequence of calls. Thread-safe (one lock), for sharing among the nodes of one process.
 */
public final class CachingSignatureVerifier implements SignatureVerifier {
    private final SignatureVerifier delegate;
    private final int maxEntries;
    private final MessageDigest sha256;
    private final LinkedHashMap<Key, Boolean> verdicts;
    private long hits;
    private long misses;

    /** A memo of Ed25519 verdicts holding at most {@code maxEntries}. */
    public CachingSignatureVerifier(int maxEntries) {
        this(SignatureVerifier.ED25519, maxEntries);
    }

    /** A memo in front of {@code delegate} holding at most {@code maxEntries} verdicts. */
    public CachingSignatureVerifier(SignatureVerifier delegate, int maxEntries) {
        if (maxEntries < 1) {
            throw new IllegalArgumentException("a signature memo must hold at least one entry, got " + maxEntries);
        }
        this.delegate = delegate;
        this.maxEntries = maxEntries;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime must provide SHA-256", e);
        }
        this.verdicts = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Boolean> eldest) {
                return size() > CachingSignatureVerifier.this.maxEntries;
            }
        };
    }

    @Override
    public boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || message == null || signature == null
                || publicKey.length != Ed25519.PUBLIC_KEY_BYTES || signature.length != Ed25519.SIGNATURE_BYTES) {
            // Malformed: rejected at once, and fixed sizes keep the key's concatenation unambiguous.
            return false;
        }
        synchronized (this) {
            sha256.update(publicKey);
            sha256.update(signature);
            Key key = new Key(sha256.digest(message));
            Boolean known = verdicts.get(key);
            if (known != null) {
                hits++;
                return known;
            }
            misses++;
            boolean valid = delegate.verify(publicKey, message, signature);
            verdicts.put(key, valid);
            return valid;
        }
    }

    /** Verdicts served from the memo. */
    public synchronized long hits() {
        return hits;
    }

    /** Verdicts that needed a verification. */
    public synchronized long misses() {
        return misses;
    }

    public synchronized int size() {
        return verdicts.size();
    }

    /** A 32-byte digest as a map key, its hash computed once. */
    private static final class Key {
        private final byte[] digest;
        private final int hash;

        Key(byte[] digest) {
            this.digest = digest;
            this.hash = Arrays.hashCode(digest);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(digest, k.digest);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
