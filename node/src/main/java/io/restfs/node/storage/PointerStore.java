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
 * <p>A DHT put goes to the nodes closest to the record's key (the writer itself excepted), and each holder
 * takes at most one of two racing swaps from the same sequence number. A write counts as won only when more
 * than half of those holders <em>plus the writer's own node</em> took it: two racing writers each miss their own
 * node, so counting it keeps their majorities from both fitting in the holders they share. When the win was not
 * clean (some holder refused or did not answer), the losers may have left copies at the same sequence number
 * (a reader could pick one), so the winner writes its value once more at the next sequence number; if that
 * second write loses to a third writer, the result is {@link Outcome#UNCERTAIN} and the caller checks what the
 * record now says. A loser is told {@link Outcome#CONFLICT}; nothing it wrote is acknowledged.
 */
final class PointerStore {
    /** BEP 44: the stored item's seq differed from the cas the put named. */
    static final int CAS_MISMATCH = 301;
    /** BEP 44: the put's seq was lower than (or equal with another value to) the stored one. */
    static final int SEQ_TOO_LOW = 302;

    enum Outcome {
        /** The value is the record's, at the sequence number named or one above it. */
        STORED,
        /** Another writer got there first; re-read and decide. */
        CONFLICT,
        /** The swap won, but the record may have moved on since; re-read to see whether the value survived. */
        UNCERTAIN
    }

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
     * Writes {@code value} at the next sequence number, replacing only the record at {@code previous} (empty:
     * there must be none yet).
     */
    Outcome put(Ed25519KeyPair signer, byte[] salt, OptionalLong previous, byte[] value) {
        long seq = previous.isPresent() ? previous.getAsLong() + 1 : 1;
        PutResult r = HolderView.await(dht.putMutable(signer, salt, seq, value, previous));
        int stored = r.storedOn().size();
        int asked = stored + r.refusals().size();
        if (asked == 0) {
            throw new RestfsException(ErrorCode.UNAVAILABLE, "no DHT node answered for pointer record " + r.target());
        }
        if (stored == 0 && r.refusals().stream().noneMatch(x -> x.code() == CAS_MISMATCH || x.code() == SEQ_TOO_LOW)) {
            throw new RestfsException(ErrorCode.UNAVAILABLE, "no DHT node stored pointer record " + r.target()
                    + ": " + r.refusals());
        }
        if (stored == 1 && asked == 1) {
            // The one holder that answered took it, yet one is no majority of it plus us: not a lost race, and
            // retrying cannot help while no other node answers (a cluster of two, or all other holders silent).
            throw new RestfsException(ErrorCode.INSUFFICIENT_NODES, "pointer record " + r.target() + ": only one"
                    + " other node answered, and a metadata write needs more than half of its holders plus this"
                    + " node; a cluster needs at least 3 live nodes");
        }
        if (2 * stored <= asked + 1) {
            return Outcome.CONFLICT;
        }
        long finalSeq = seq;
        Outcome outcome = Outcome.STORED;
        if (stored < asked) {
            // Not every holder took it: overwrite any loser's copy at our sequence number with ours at the next.
            PutResult again = HolderView.await(dht.putMutable(signer, salt, seq + 1, value, OptionalLong.of(seq)));
            if (2 * again.storedOn().size() > again.storedOn().size() + again.refusals().size() + 1) {
                finalSeq = seq + 1;
            } else {
                outcome = Outcome.UNCERTAIN;
            }
        }
        // Owners republish their items (BEP 44: they expire after two hours); a later write of the record
        // replaces this node's republication of it, and holders refuse an older one.
        dht.publish(DhtNode.signMutable(signer, salt, finalSeq, value));
        return outcome;
    }
}
