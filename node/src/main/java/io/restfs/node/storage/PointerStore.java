package io.restfs.node.storage;

import java.util.Optional;
import java.util.OptionalLong;

import io.restfs.api.ErrorCode;
import io.restfs.api.RestfsException;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.items.Item;
import io.restfs.dht.node.DhtNode;
import io.restfs.dht.node.PutResult;

/**
 * Pointer records as BEP 44 mutable items: signed, sequence-numbered, replaced with compare-and-swap on the
 * sequence number.
 *
 * <p>A DHT put reaches several holders, and two racing writers may each win on some of them. A write counts as
 * won only when a strict majority of the holders that answered about the swap took it; a writer that sees any
 * holder refuse its swap but still wins writes its value once more at the next sequence number, so the loser's
 * copies (at the sequence number both used) are overwritten everywhere this writer reaches. The loser is told
 * {@link Outcome#CONFLICT}; nothing it wrote is acknowledged.
 */
final class PointerStore {
    /** BEP 44: the stored item's seq differed from the cas the put named. */
    static final int CAS_MISMATCH = 301;
    /** BEP 44: the put's seq was lower than (or equal with another value to) the stored one. */
    static final int SEQ_TOO_LOW = 302;

    enum Outcome { STORED, CONFLICT }

    /** A record as read: its sequence number and bencoded value. */
    record Versioned(long seq, byte[] value) {
    }

    private final DhtNode dht;

    PointerStore(DhtNode dht) {
        this.dht = dht;
    }

    Optional<Versioned> get(Ed25519KeyPair signer, byte[] salt) {
        Optional<Item> item = HolderView.await(dht.getMutable(signer.publicKey(), salt));
        return item.filter(Item.Mutable.class::isInstance).map(Item.Mutable.class::cast)
                .map(m -> new Versioned(m.seq(), m.value()));
    }

    /**
     * Writes {@code value} at {@code seq}, replacing only the record at {@code previous} (empty: there must be
     * none yet).
     */
    Outcome put(Ed25519KeyPair signer, byte[] salt, OptionalLong previous, byte[] value) {
        long seq = previous.isPresent() ? previous.getAsLong() + 1 : 1;
        PutResult r = HolderView.await(dht.putMutable(signer, salt, seq, value, previous));
        long refused = r.refusals().stream().filter(x -> x.code() == CAS_MISMATCH || x.code() == SEQ_TOO_LOW).count();
        int stored = r.storedOn().size();
        if (stored == 0 && refused == 0) {
            throw new RestfsException(ErrorCode.UNAVAILABLE, "no DHT node stored pointer record " + r.target()
                    + " (" + r.refusals().size() + " failed: " + r.refusals() + ")");
        }
        if (stored <= refused) {
            return Outcome.CONFLICT;
        }
        if (refused > 0) {
            // We won a race: overwrite the loser's copies at our sequence number with ours at the next one.
            HolderView.await(dht.putMutable(signer, salt, seq + 1, value, OptionalLong.of(seq)));
        }
        // Owners republish their items (BEP 44: they expire after two hours); the latest write of a record
        // replaces this node's earlier republication of it.
        dht.publish(DhtNode.signMutable(signer, salt, refused > 0 ? seq + 1 : seq, value));
        return Outcome.STORED;
    }
}
