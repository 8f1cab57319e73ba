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
 * <p>Holders. A record's holders are the k nodes closest to its key among the writer itself and the nodes that
 * answered the writer's lookup ({@link DhtNode#putMutableHolding}): when the writer is among them it keeps a copy
 * in its own DHT item store, under the compare-and-swap rules a put from a peer meets and on the DHT's logic
 * thread, so its own copy and the puts peers send it are one holder, and its vote counts like any other's. Each
 * holder takes at most one of two racing swaps from the same sequence number (the first to arrive; the second
 * finds the seq it names gone, or its own seq taken by another value).
 *
 * <p>Quorum: a write of n holders wins when more than half of n + 1 took it ({@code 2 * stored > n + 1}), as if
 * one more holder had refused. Why the extra one: with membership steady, two racing writers see the same k
 * closest nodes (the set does not depend on who writes, now that the writer counts itself where it belongs), and
 * two majorities of one set would share a holder. But a node joining or leaving between the two writers' lookups
 * can make their sets differ by one node: one set one node larger (a node appeared to one, or was gone for the
 * other), or one node swapped for another (a joiner closer than the k-th pushed it out). Their union then has at
 * most n + 1 nodes for sets of up to n each, and two disjoint sets of takers, each more than half of n + 1, do not
 * fit in n + 1 nodes; with a plain majority of n they would (k = 3, sets {a, b, c} and {a, b, d}: a and c take one
 * write, b and d the other). So two racing writers are never both told {@link Outcome#STORED} for one sequence
 * number while their views of the holders differ by at most one node. Views that differ by two or more (two
 * changes among the closest within one write, a partition) are beyond it, as for any quorum without consensus.
 * The cost is one vote: 2 of 2 holders, 3 of 3, 4 of 4, 4 of 5, ... 5 of 8; a cluster of two nodes writes while
 * both are up, and no write can win with one holder (refused up front: nothing is stored).
 *
 * <p>When the win was not clean (some holder refused or did not answer), the losers may have left copies at the
 * same sequence number (a reader could pick one), so the winner writes its value once more at the next sequence
 * number; if that second write loses to a third writer, the result is {@link Outcome#UNCERTAIN} and the caller
 * checks what the record now says. A loser is told {@link Outcome#CONFLICT}; nothing it wrote is acknowledged.
 * Racing writers can all lose (each holder took a different one): each is told CONFLICT. Reads take the highest
 * sequence number among the holders' copies and this node's own.
 */
final class PointerStore {
    /** BEP 44: the stored item's seq differed from the cas the put named. */
    static final int CAS_MISMATCH = 301;
    /** BEP 44: the put's seq was lower than (or equal with another value to) the stored one. */
    static final int SEQ_TOO_LOW = 302;

    /** The fewest holders a write can win with: 2 * stored > n + 1 needs n of at least 2. */
    static final int MIN_HOLDERS = 2;

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
        PutResult r = HolderView.await(dht.putMutableHolding(signer, salt, seq, value, previous, MIN_HOLDERS));
        int stored = r.storedOn().size();
        int asked = stored + r.refusals().size();
        if (asked == 0) {
            throw new RestfsException(ErrorCode.INSUFFICIENT_NODES, "pointer record " + r.target() + ": no other"
                    + " node answered, and a metadata write needs more than half of its holders plus one; a"
                    + " cluster needs at least " + MIN_HOLDERS + " live nodes to write (nothing was stored)");
        }
        if (stored == 0 && r.refusals().stream().noneMatch(x -> x.code() == CAS_MISMATCH || x.code() == SEQ_TOO_LOW)) {
            throw new RestfsException(ErrorCode.UNAVAILABLE, "no DHT node stored pointer record " + r.target()
                    + ": " + r.refusals());
        }
        if (!wins(stored, asked)) {
            return Outcome.CONFLICT;
        }
        long finalSeq = seq;
        Outcome outcome = Outcome.STORED;
        if (stored < asked) {
            // Not every holder took it: overwrite any loser's copy at our sequence number with ours at the next.
            PutResult again = HolderView.await(dht.putMutableHolding(signer, salt, seq + 1, value,
                    OptionalLong.of(seq), MIN_HOLDERS));
            if (wins(again.storedOn().size(), again.storedOn().size() + again.refusals().size())) {
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

    /** More than half of the {@code holders} answered plus one (see the class comment) took the write. */
    static boolean wins(int stored, int holders) {
        return 2 * stored > holders + 1;
    }
}
