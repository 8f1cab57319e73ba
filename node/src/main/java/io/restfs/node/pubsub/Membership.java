package io.restfs.node.pubsub;

import io.restfs.dht.id.NodeId;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The other members of the cluster as this node knows them: each one's latest signed announcement and whether it
 * is alive, has left, or is dead. Thread-safe; every change is returned to the caller, who publishes it.
 */
public final class Membership {
    public enum State { ALIVE, LEFT, DEAD }

    /** One member: what it last announced, what became of it, and since when (clock millis). */
    public record Entry(Announcement announcement, State state, long sinceMillis) {
        public NodeId nodeId() {
            return announcement.nodeId();
        }
    }

    /** A change worth telling others about: {@code kind} is joined, updated, left or dead. */
    record Change(String kind, Announcement announcement) {
    }

    private final NodeId self;
    private final LongSupplier clock;
    private final Map<NodeId, Entry> entries = new HashMap<>();

    Membership(NodeId self, LongSupplier clock) {
        this.self = self;
        this.clock = clock;
    }

    /** Takes a verified announcement; a newer one than we hold is a change, an older or equal one is not. */
    synchronized Optional<Change> apply(Announcement a) {
        if (a.nodeId().equals(self)) {
            return Optional.empty();
        }
        Entry old = entries.get(a.nodeId());
        if (old != null && a.seq() <= old.announcement().seq()) {
            return Optional.empty();
        }
        State state = a.leaving() ? State.LEFT : State.ALIVE;
        entries.put(a.nodeId(), new Entry(a, state, clock.getAsLong()));
        String kind = a.leaving() ? "left" : old == null || old.state() != State.ALIVE ? "joined" : "updated";
        return Optional.of(new Change(kind, a));
    }

    /** Marks a member dead if {@code seq} is still its latest announcement and it was alive. */
    synchronized Optional<Change> markDead(NodeId id, long seq) {
        Entry e = entries.get(id);
        if (e == null || e.state() != State.ALIVE || e.announcement().seq() != seq) {
            return Optional.empty();
        }
        entries.put(id, new Entry(e.announcement(), State.DEAD, clock.getAsLong()));
        return Optional.of(new Change("dead", e.announcement()));
    }

    public synchronized Optional<Entry> get(NodeId id) {
        return Optional.ofNullable(entries.get(id));
    }

    /** Every member ever seen (not this node), ordered by id so listings are stable. */
    public synchronized List<Entry> entries() {
        List<Entry> out = new ArrayList<>(entries.values());
        out.sort(Comparator.comparing(Entry::nodeId));
        return out;
    }

    public synchronized List<Entry> alive() {
        return entries().stream().filter(e -> e.state() == State.ALIVE).toList();
    }

    public NodeId self() {
        return self;
    }
}
