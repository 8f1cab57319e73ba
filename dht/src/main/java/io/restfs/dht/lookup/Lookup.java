package io.restfs.dht.lookup;

import io.restfs.dht.env.Clock;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.KrpcError;
import io.restfs.dht.krpc.KrpcResponse;
import io.restfs.dht.krpc.NodeInfo;
import io.restfs.dht.rpc.RpcCallback;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One iterative Kademlia lookup: keeps at most {@code alpha} queries in flight to the closest nodes not yet asked,
 * learns closer nodes from each answer, and ends when the k closest candidates still in the running have all
 * answered. A peer that misses its (adaptive) soft timeout frees its slot, so the lookup goes on querying the next
 * candidates, but it stays among those the end condition waits for: a live peer that is merely slow may be one of
 * the k closest, and leaving it out would make the answer wrong. Only a hard failure (every attempt timed out, an
 * error, or a different node answering) drops a candidate, so a dead peer costs one hard timeout, run in parallel
 * with the rest of the lookup.
 *
 * <p>Once {@code alpha} answers in a row have brought no candidate closer than the closest one known, the lookup
 * has found the target's neighbourhood, and it queries all of the k closest not yet asked at once instead of
 * {@code alpha} at a time: Kademlia's final round (Maymounkov and Mazieres, section 2.3: "If a round of FIND_NODEs
 * fails to return a node any closer than the closest already seen, the initiator resends the FIND_NODE to all of
 * the k closest nodes it has not already queried"). Without it the last k nodes are asked a few at a time, about
 * k / alpha round trips in sequence, and a dead one among them holds the result for its whole timeout after that.
 * Runs on the logic thread.
 */
public final class Lookup {
    /** Sends one lookup query (find_node, get_peers or get) to a node. */
    @FunctionalInterface
    public interface Querier {
        void query(NodeInfo node, RpcCallback callback);
    }

    /**
     * Hears of each candidate that stayed silent through all its sends, once for each of the first three candidates
     * whose answers named it, so the caller can tell them (a seed that no answer named is not reported). Telling only
     * the first namer left twice the departed contacts in the tables (simulated, 2,000 nodes with sessions of median
     * 1 hour: 1.4% of each node's k closest contacts departed against 0.57% with three; eight gave 0.34% for little
     * else).
     */
    @FunctionalInterface
    public interface SilenceListener {
        SilenceListener NONE = (silent, namedBy) -> { };

        void silent(NodeInfo silent, NodeInfo namedBy);
    }

    private enum State { UNQUERIED, IN_FLIGHT, SLOW, ANSWERED, FAILED }

    /** Room for the candidates of a typical lookup (k = 20 with a few dozen answers); grows by doubling. */
    private static final int INITIAL_CANDIDATES = 64;

    private static final class Candidate {
        final NodeInfo node;
        final int depth;
        /** The first three candidates whose answers named this one, in order; none for a seed. */
        NodeInfo namedBy;
        NodeInfo namedBy2;
        NodeInfo namedBy3;
        State state = State.UNQUERIED;
        KrpcResponse response;

        Candidate(NodeInfo node, int depth, NodeInfo namedBy) {
            this.node = node;
            this.depth = depth;
            this.namedBy = namedBy;
        }

        /** Records another answer naming this candidate while its fate is open (fields, not a list: no allocation). */
        void namedAgainBy(NodeInfo namer) {
            if (namer == null || namedBy3 != null || state == State.ANSWERED || state == State.FAILED) {
                return;
            }
            if (namedBy == null) {
                namedBy = namer;
            } else if (namedBy2 == null) {
                namedBy2 = namer;
            } else {
                namedBy3 = namer;
            }
        }

        void reportSilence(SilenceListener silence) {
            for (NodeInfo namer : new NodeInfo[] {namedBy, namedBy2, namedBy3}) {
                if (namer != null) {
                    silence.silent(node, namer);
                }
            }
        }
    }

    private final NodeId target;
    private final NodeId self;
    private final int k;
    private final int alpha;
    private final Querier querier;
    private final Clock clock;
    private final Consumer<LookupResult> done;
    private final Predicate<NodeId> knownDead;
    private final SilenceListener silence;
    /**
     * The candidates, closest to the target first, and beside them the sort keys: the first 64 bits of each one's
     * XOR distance (unsigned), which order all but identical-prefix pairs, so finding whether an answer's contact
     * is new is a binary search over one small array. Every answer brings k or more contacts, most of them known.
     */
    private Candidate[] candidates = new Candidate[INITIAL_CANDIDATES];
    private long[] keys = new long[INITIAL_CANDIDATES];
    private int count;
    /** The sort keys of the contacts {@link #addAll} is adding. */
    private long[] scratchKeys = new long[0];
    private final long startedAt;
    private int inFlight;
    private int queriesSent;
    private int responses;
    private int softTimeouts;
    private int timeouts;
    /** Answers in a row that brought nothing closer than the closest candidate known before them. */
    private int answersWithoutProgress;
    /** Kademlia's final round: every one of the k closest not yet asked is queried at once. */
    private boolean finalRound;
    private boolean finished;

    /**
     * @param self our own id, never queried
     * @param done receives the result once, on the logic thread
     */
    public Lookup(NodeId target, NodeId self, int k, int alpha, Querier querier, Clock clock,
                  Consumer<LookupResult> done) {
        this(target, self, k, alpha, querier, clock, id -> false, SilenceListener.NONE, done);
    }

    /**
     * @param knownDead nodes this lookup never adds as candidates, whoever names them: peers the caller knows to
     *                  be gone (a cluster membership service saw them die), which live peers keep returning until
     *                  their own tables age them out; each would otherwise cost a hard timeout
     * @param silence   hears of each candidate that timed out through all its sends, and who named it
     */
    public Lookup(NodeId target, NodeId self, int k, int alpha, Querier querier, Clock clock,
                  Predicate<NodeId> knownDead, SilenceListener silence, Consumer<LookupResult> done) {
        if (k < 1 || alpha < 1) {
            throw new IllegalArgumentException("k and alpha must be positive: k=" + k + ", alpha=" + alpha);
        }
        this.target = target;
        this.self = self;
        this.k = k;
        this.alpha = alpha;
        this.querier = querier;
        this.clock = clock;
        this.done = done;
        this.knownDead = knownDead;
        this.silence = silence;
        this.startedAt = clock.nowMillis();
    }

    /** Starts from {@code seeds} (the routing table's closest, or bootstrap contacts). */
    public void start(List<NodeInfo> seeds) {
        addAll(seeds, 0, null);
        step();
    }

    /**
     * Adds contacts in two passes: the first only reads each one's id prefix, the second sorts them in. An answer's
     * contacts are mostly far from cache (in the simulator, in the answering node's table), and the reads of the first
     * pass do not depend on each other, so the processor overlaps their misses; between the second pass's reads, the
     * binary search's unpredictable branches would make it wait for each one in turn.
     */
    private void addAll(List<NodeInfo> nodes, int depth, NodeInfo namedBy) {
        int n = nodes.size();
        if (scratchKeys.length < n) {
            scratchKeys = new long[n];
        }
        long targetPrefix = target.prefix();
        for (int i = 0; i < n; i++) {
            scratchKeys[i] = nodes.get(i).id().prefix() ^ targetPrefix;
        }
        long selfKey = self.prefix() ^ targetPrefix;
        for (int i = 0; i < n; i++) {
            NodeInfo node = nodes.get(i);
            long key = scratchKeys[i];
            if (key != selfKey || !node.id().equals(self)) {
                add(node, key, depth, namedBy);
            }
        }
    }

    private void add(NodeInfo n, long key, int depth, NodeInfo namedBy) {
        NodeId id = n.id();
        int at = search(id, key);
        if (at >= 0) {
            candidates[at].namedAgainBy(namedBy);
            return;
        }
        if (knownDead.test(id)) {
            return;
        }
        at = -at - 1;
        if (count == candidates.length) {
            candidates = Arrays.copyOf(candidates, count * 2);
            keys = Arrays.copyOf(keys, count * 2);
        }
        System.arraycopy(candidates, at, candidates, at + 1, count - at);
        System.arraycopy(keys, at, keys, at + 1, count - at);
        candidates[at] = new Candidate(n, depth, namedBy);
        keys[at] = key;
        count++;
    }

    /** The index of {@code id} among the candidates, or (-(insertion point) - 1) as Arrays.binarySearch has it. */
    private int search(NodeId id, long key) {
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = Long.compareUnsigned(keys[mid], key);
            if (c == 0) {
                c = target.compareDistance(candidates[mid].node.id(), id);
            }
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    private void step() {
        if (finished) {
            return;
        }
        if (closestNotFailedAllAnswered()) {
            finish(closestNotFailed());
            return;
        }
        // A slow peer's slot goes to the next candidate: query the k closest that are neither failed nor slow.
        int limit = finalRound ? k : alpha;
        int considered = 0;
        for (int i = 0; i < count; i++) {
            Candidate c = candidates[i];
            if (inFlight >= limit || considered == k) {
                break;
            }
            if (c.state == State.FAILED || c.state == State.SLOW) {
                continue;
            }
            considered++;
            if (c.state == State.UNQUERIED) {
                send(c);
            }
        }
    }

    /**
     * The k closest candidates that may still be part of the answer, which the end condition waits for: all but
     * the failed ones. A slow candidate stays: it is alive as far as we know, and may be among the true k closest.
     */
    private List<Candidate> closestNotFailed() {
        List<Candidate> out = new ArrayList<>(k);
        for (int i = 0; i < count; i++) {
            Candidate c = candidates[i];
            if (c.state != State.FAILED) {
                out.add(c);
                if (out.size() == k) {
                    break;
                }
            }
        }
        return out;
    }

    /** Whether every one of {@link #closestNotFailed()} has answered, without building the list (asked per answer). */
    private boolean closestNotFailedAllAnswered() {
        int seen = 0;
        for (int i = 0; i < count && seen < k; i++) {
            State state = candidates[i].state;
            if (state != State.FAILED) {
                if (state != State.ANSWERED) {
                    return false;
                }
                seen++;
            }
        }
        return true;
    }

    private Candidate closestNotFailedCandidate() {
        for (int i = 0; i < count; i++) {
            Candidate c = candidates[i];
            if (c.state != State.FAILED) {
                return c;
            }
        }
        return null;
    }

    private void send(Candidate c) {
        c.state = State.IN_FLIGHT;
        inFlight++;
        queriesSent++;
        querier.query(c.node, new RpcCallback() {
            @Override
            public void onResponse(KrpcResponse response, long rttMillis) {
                answered(c, response);
            }

            @Override
            public void onError(KrpcError error) {
                failed(c);
            }

            @Override
            public void onTimeout() {
                failed(c);
                c.reportSilence(silence);
            }

            @Override
            public void onSoftTimeout() {
                if (c.state == State.IN_FLIGHT) {
                    c.state = State.SLOW;
                    inFlight--;
                    softTimeouts++;
                    step();
                }
            }
        });
    }

    private void answered(Candidate c, KrpcResponse response) {
        if (c.state == State.IN_FLIGHT) {
            inFlight--;
        }
        responses++;
        if (!response.responder().equals(c.node.id())) {
            // Whoever sits at that address is not the node we were told about: do not trust its contacts.
            c.state = State.FAILED;
            timeouts++;
            step();
            return;
        }
        c.state = State.ANSWERED;
        c.response = response;
        if (!finished) {
            Candidate closestBefore = closestNotFailedCandidate();
            addAll(response.nodes(), c.depth + 1, c.node);
            addAll(response.nodes6(), c.depth + 1, c.node);
            if (closestNotFailedCandidate() != closestBefore) {
                answersWithoutProgress = 0;
            } else if (++answersWithoutProgress >= alpha) {
                finalRound = true;
            }
        }
        step();
    }

    private void failed(Candidate c) {
        if (c.state == State.IN_FLIGHT) {
            inFlight--;
        }
        c.state = State.FAILED;
        timeouts++;
        step();
    }

    private void finish(List<Candidate> running) {
        finished = true;
        List<LookupResult.Answered> closest = new ArrayList<>(running.size());
        int hops = 0;
        for (Candidate c : running) {
            closest.add(new LookupResult.Answered(c.node, c.response, c.depth + 1));
            hops = Math.max(hops, c.depth + 1);
        }
        done.accept(new LookupResult(target, List.copyOf(closest), hops, queriesSent, responses, softTimeouts,
                timeouts, clock.nowMillis() - startedAt));
    }

    /** Read-only view for tests and diagnostics: candidates known so far, closest first. */
    Map<NodeId, String> states() {
        TreeMap<NodeId, String> out = new TreeMap<>(target::compareDistance);
        for (int i = 0; i < count; i++) {
            out.put(candidates[i].node.id(), candidates[i].state.name());
        }
        return out;
    }
}
