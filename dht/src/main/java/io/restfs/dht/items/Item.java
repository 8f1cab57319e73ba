package io.restfs.dht.items;

import io.restfs.dht.id.NodeId;

import java.util.Arrays;

/** A BEP 44 item as stored and served: immutable (addressed by its hash) or mutable (by its key and salt). */
public sealed interface Item {
    /** BEP 44: "the bencoded v must be less than 1000 bytes". */
    int MAX_VALUE_BYTES = 1000;
    /** BEP 44: "the salt ... is not allowed to be greater than 64 bytes". */
    int MAX_SALT_BYTES = 64;

    /** The bencoded value, exactly as signed and stored. */
    byte[] value();

    /** The key the item is stored under: SHA-1 of v, or SHA-1 of the public key followed by the salt. */
    NodeId target();

    /** @param value the bencoded value */
    record Immutable(byte[] value) implements Item {
        public Immutable {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public NodeId target() {
            return NodeId.sha1(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Immutable i && Arrays.equals(value, i.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Immutable[" + value.length + " bytes]";
        }
    }

    /**
     * @param publicKey 32-byte Ed25519 public key
     * @param salt      0-64 bytes, empty when unused
     * @param seq       sequence number; a put must not go backwards
     * @param value     the bencoded value
     * @param signature 64-byte Ed25519 signature over the BEP 44 signature buffer
     */
    record Mutable(byte[] publicKey, byte[] salt, long seq, byte[] value, byte[] signature) implements Item {
        public Mutable {
            publicKey = publicKey.clone();
            salt = salt.clone();
            value = value.clone();
            signature = signature.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public byte[] salt() {
            return salt.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public NodeId target() {
            return NodeId.sha1(publicKey, salt);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Mutable m && seq == m.seq && Arrays.equals(publicKey, m.publicKey)
                    && Arrays.equals(salt, m.salt) && Arrays.equals(value, m.value)
                    && Arrays.equals(signature, m.signature);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(publicKey) * 31 + Long.hashCode(seq);
        }

        @Override
        public String toString() {
            return "Mutable[target=" + target() + ", seq=" + seq + ", " + value.length + " bytes]";
        }
    }
}
