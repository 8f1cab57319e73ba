package io.restfs.dht.node;

import io.restfs.dht.bencode.BencodeDecoder;
import io.restfs.dht.bencode.BencodeException;
import io.restfs.dht.bencode.BencodeLimits;
import io.restfs.dht.crypto.Bep44;
import io.restfs.dht.crypto.Ed25519KeyPair;
import io.restfs.dht.env.Cancellable;
import io.restfs.dht.env.Environment;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.items.Item;
import io.restfs.dht.items.ItemStore;
import io.restfs.dht.items.PutOutcome;
import io.restfs.dht.items.StoredItem;
import io.restfs.dht.krpc.AnnouncePeerQuery;
import io.restfs.dht.krpc.FindNodeQuery;
import io.restfs.dht.krpc.GetPeersQuery;
import io.restfs.dht.krpc.GetQuery;
import io.restfs.dht.krpc.KrpcCodec;
import io.restfs.dht.krpc.KrpcError;
import io.restfs.dht.krpc.KrpcLimits;
import io.restfs.dht.krpc.KrpcMessage;
import io.restfs.dht.krpc.KrpcQuery;
import io.restfs.dht.krpc.KrpcResponse;
import io.restfs.dht.krpc.NodeInfo;
import io.restfs.dht.krpc.PingQuery;
import io.restfs.dht.krpc.PutImmutableQuery;
import io.restfs.dht.krpc.PutMutableQuery;
import io.restfs.dht.krpc.RestfsInfoQuery;
import io.restfs.dht.krpc.RestfsNodeInfo;
import io.restfs.dht.krpc.RestfsSilentQuery;
import io.restfs.dht.krpc.TransactionId;
import io.restfs.dht.krpc.UnknownQuery;
import io.restfs.dht.lookup.Lookup;
import io.restfs.dht.lookup.LookupResult;
import io.restfs.dht.persist.SavedContact;
import io.restfs.dht.persist.SavedItem;
import io.restfs.dht.persist.StateStore;
import io.restfs.dht.routing.Contact;
import io.restfs.dht.routing.Liveness;
import io.restfs.dht.routing.Observation;
import io.restfs.dht.routing.PeerKind;
import io.restfs.dht.routing.RoutingTable;
import io.restfs.dht.rpc.RpcCallback;
import io.restfs.dht.rpc.RpcEngine;
import io.restfs.dht.rpc.RpcException;
import io.restfs.dht.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A restfs DHT node: Mainline KRPC (BEP 5) with BEP 44 items and the restfs_info extension. It answers queries,
 * keeps its routing table fresh, holds items for others within quotas, republishes its own items, and offers an
 * asynchronous API. All state lives on the environment's single logic thread; public methods may be called from
 * any thread and return futures completed on the logic thread. The node owns the transport and the state store
 * it is given and closes both in {@link #close()}.
 */
public final class DhtNode {
    private static final Logger log = LoggerFactory.getLogger(DhtNode.class);
    /**
     * restfs_info is signed anew at once when the free capacity it states changes, and otherwise only to refresh its
     * timestamp, after as long as a table keeps a silent peer good (BEP 5's 15 minutes). Re-signing the unchanged
     * info every minute, as before, cost each node a signature a minute and every peer that met the new signature a
     * verification: about a tenth of the CPU of a 10,000-node simulation.
     */
    static final long INFO_RESIGN_MILLIS = RoutingTable.QUESTIONABLE_AFTER_MILLIS;
    /** Questionable table members pinged per maintenance pass, in {@link RoutingTable#questionable()}'s order. */
    static final int QUESTIONABLE_PINGS_PER_PASS = 8;
    /**
     * Our {@link #NEIGHBOURS_PER_K} x k members closest to us are pinged once silent this long instead of after BEP
     * 5's 15 minutes: they are what we return for targets near us, where the final round of every lookup of such a
     * target ends, waiting for each candidate's answer or hard timeout. With the 15-minute rule alone a departed
     * neighbour stayed in our answers for the rest of its 15 silent minutes: simulating 2,000 nodes with sessions of
     * median 1 hour, 9.9% of each node's k closest contacts were departed nodes, and lookups met 3.6 hard timeouts
     * and took 1.21 s (median; 0.42 s without churn). Pinging the 2k closest after 5 minutes: 4.8%, 1.6 timeouts,
     * 1.08 s, for 2% more messages. The k closest alone left 2.6 timeouts; 3 minutes instead of 5 cost 6% more
     * messages for 0.3 fewer. Only while churn shows, i.e. within {@link #CHURN_SEEN_MILLIS} of a call to a known
     * peer going unanswered through all its sends: in a network where nobody leaves, neighbours seldom talk to each
     * other otherwise, and the pings were 6% more messages for nothing (10,000 nodes).
     */
    static final long NEIGHBOUR_SILENCE_MILLIS = 5 * 60_000L;
    static final int NEIGHBOURS_PER_K = 2;
    /**
     * A report that a contact of ours is silent (restfs_silent) makes us ping it only once we have not heard from it
     * for this long: a peer we heard from a moment ago is most likely alive, and the bound limits what reports about a
     * live peer can make us send it.
     */
    static final long SILENT_REPORT_MIN_SILENCE_MILLIS = 5_000;
    /**
     * Contacts that went bad are remembered, the latest {@link #MAX_LOST_CONTACTS}, for this long, and pinged again
     * now and then (see {@link #retryLost}): enough for one of them to bridge a healed partition.
     */
    static final long LOST_CONTACT_MILLIS = 60 * 60_000L;
    static final int MAX_LOST_CONTACTS = 16;
    static final long CHURN_SEEN_MILLIS = RoutingTable.QUESTIONABLE_AFTER_MILLIS;
    /**
     * While churn shows, a lookup query gets at most this many sends instead of {@link DhtConfig#lookupAttempts()}
     * (3), each waiting one timeout (see {@link RpcEngine#callInLookup}): silence then most likely means a departed
     * peer, which holds the lookup's result until its last send times out. Without churn, silence means lost packets,
     * and a live peer of the k closest whose every send is lost makes the answer wrong. Simulated, 2,000 nodes: with
     * 1% loss two sends (the second after twice the timeout) left 0.83% of lookups without one of the true k
     * closest, three sends 0.02%; with sessions of median 1 hour three sends always (with back-off) slowed the slowest
     * lookups (p99 1.2 -> 1.9 s) and more of them missed a membership change (strict success 99.47 -> 99.27%), while
     * two under churn and three otherwise, without back-off, gave 99.51% and p99 1.2 s.
     */
    static final int CHURN_LOOKUP_ATTEMPTS = 2;
    /** First retry of a bootstrap that reached nobody: a few seconds, long enough for a restarting peer. */
    static final long BOOTSTRAP_RETRY_FIRST_MILLIS = 5_000;
    /**
     * Retries back off (doubling) to at most one every 5 minutes while the table stays empty: a node alone serves
     * nobody, and one ping per contact per 5 minutes is no load on them.
     */
    static final long BOOTSTRAP_RETRY_MAX_MILLIS = 5 * 60_000L;
    /**
     * How long a forgotten peer stays out of lookups unless it shows up itself: 10 minutes, well past the 15
     * minutes after which live peers' tables call a silent contact questionable minus the time they need to ping
     * it twice (BAD_AFTER_FAILURES), so by then few of them still hand it out.
     */
    static final long FORGET_MILLIS = 10 * 60_000L;
    /** Answers carry k + k / ANSWER_EXTRA_PER_K contacts (see {@link #answerNodes}). */
    static final int ANSWER_EXTRA_PER_K = 4;
    /** Forgotten peers remembered at once; the oldest goes first. Bounds memory against a flood of death notices. */
    static final int MAX_FORGOTTEN = 4096;

    private final DhtConfig config;
    private final Ed25519KeyPair key;
    private final NodeId id;
    private final Environment env;
    private final Transport transport;
    private final StateStore state;
    private final RoutingTable table;
    private final RpcEngine rpc;
    private final ItemStore items;
    private final TokenIssuer tokens;
    private final RateLimiter limiter;
    private final PeerStore peers;
    private final PeerInfoDirectory infos;
    private final KrpcCodec codec = new KrpcCodec();
    private final TreeSet<NodeId> infoPending = new TreeSet<>();
    private final TreeSet<NodeId> pinging = new TreeSet<>();
    /** When a call to a known peer last went unanswered through all its sends (see {@link #CHURN_SEEN_MILLIS}). */
    private long lastUnansweredMillis = Long.MIN_VALUE / 2;
    private final TreeMap<NodeId, Cancellable> published = new TreeMap<>();
    /** Contacts that went bad, oldest first, each with when (see {@link #retryLost}). */
    private final ArrayDeque<LostContact> lost = new ArrayDeque<>();
    /** Peers known dead (see {@link #forget}), each with the time its exclusion ends; oldest first. */
    private final LinkedHashMap<NodeId, Long> forgotten = new LinkedHashMap<>();
    private volatile long freeBytes;
    /** Sources exempt from the rate limit and the per-source item quota; see {@link #setTrusted}. */
    private volatile Predicate<InetSocketAddress> trusted = a -> false;
    private RestfsNodeInfo ownInfo;
    private long ownInfoSignedAt;
    private long contactsSavedAt;
    private Cancellable maintenance;
    /** The contacts of the last bootstrap call, tried again until a bootstrap round has {@link #joined}. */
    private List<InetSocketAddress> bootstrapContacts = List.of();
    /** Whether a bootstrap round's lookup of our own id has reached a node that answered it. */
    private boolean joined;
    private Cancellable bootstrapRetry;
    private long bootstrapRetryDelay = BOOTSTRAP_RETRY_FIRST_MILLIS;
    private long bootstrapRetries;
    private long itemsRefused;
    private boolean closed;
    private final CompletableFuture<Void> closedFuture = new CompletableFuture<>();
    private final CompletableFuture<Void> readyFuture = new CompletableFuture<>();

    private record LostContact(NodeId id, InetSocketAddress address, long lostAtMillis) { }

    private DhtNode(DhtConfig config, Ed25519KeyPair key, Environment env, Transport transport, StateStore state) {
        this.config = config;
        this.key = key;
        this.id = key.nodeId();
        this.env = env;
        this.transport = transport;
        this.state = state;
        this.table = new RoutingTable(id, config.k(), env.clock(), key.derivedSecret("restfs routing index"));
        this.items = new ItemStore(env.clock(), config.maxItems(), config.maxItemsPerSource());
        this.tokens = new TokenIssuer(env.clock(), env.random());
        this.limiter = new RateLimiter(env.clock(), config.queryRatePerSecond(), config.queryBurst(),
                config.maxRateLimitedSources(), key.derivedSecret("restfs rate limiter index"));
        this.infos = new PeerInfoDirectory(config.maxPeerInfos(), key.derivedSecret("restfs peer info index"));
        this.peers = new PeerStore(config.maxPeersPerHash(), config.maxInfoHashes());
        this.rpc = new RpcEngine(env, transport, config.timeouts(), new RpcEngine.Listener() {
            @Override
            public boolean admitQuery(InetSocketAddress from) {
                // BEP 43: a read-only node answers no queries (not even malformed ones with 203); it told every
                // peer it queried not to keep it, so whatever arrives is stray or from a peer ignoring "ro".
                return !config.readOnly() && (trusted.test(from) || limiter.tryAcquire(from.getAddress()));
            }

            @Override
            public void onQuery(KrpcQuery query, InetSocketAddress from) {
                DhtNode.this.onQuery(query, from);
            }

            @Override
            public void onResponded(NodeId responder, InetSocketAddress from) {
                observe(responder, from, true);
            }

            @Override
            public void onUnanswered(NodeId expected, InetSocketAddress to) {
                if (expected != null) {
                    unanswered(expected);
                }
            }
        }, config.readOnly(), config.maxRttPeers(), key.derivedSecret("restfs rtt index"));
    }

    /**
     * Creates a node with id SHA-1(public key of {@code key}), reloads the routing table and items from
     * {@code state}, and starts receiving on {@code transport}. The start itself runs on the logic thread.
     */
    public static DhtNode start(DhtConfig config, Ed25519KeyPair key, Environment env, Transport transport,
                                StateStore state) {
        DhtNode node = new DhtNode(config, key, env, transport, state);
        env.scheduler().execute(() -> {
            try {
                node.init();
            } catch (RuntimeException e) {
                // E.g. a damaged state directory: the owner learns it from ready(), the node stays closed.
                node.closed = true;
                node.readyFuture.completeExceptionally(e);
            }
        });
        return node;
    }

    private void init() {
        long now = env.clock().nowMillis();
        contactsSavedAt = now;
        int restoredItems = 0;
        for (SavedItem s : state.loadItems()) {
            if (s.ageMillis() < ItemStore.EXPIRE_MILLIS) {
                items.restore(new StoredItem(s.item(), now - s.ageMillis(), s.source()));
                restoredItems++;
            } else {
                state.deleteItem(s.item().target());
            }
        }
        List<SavedContact> saved = state.loadContacts();
        for (SavedContact c : saved) {
            table.observe(c.id(), c.address(), false);
            table.setKind(c.id(), c.kind());
        }
        rpc.start();
        // Saved contacts are questionable until they answer a ping; a peer not known to be routing-only is also
        // asked for its restfs_info again (the info itself is not saved).
        for (SavedContact c : saved) {
            table.get(c.id()).ifPresent(this::checkNewContact);
        }
        // Items we publish go out again once the table has had a maintenance period to fill, then hourly.
        List<Item> mine = state.loadPublished();
        for (Item item : mine) {
            scheduleRepublish(item, config.maintenanceMillis());
        }
        maintenance = env.scheduler().schedule(config.maintenanceMillis(), this::maintain);
        log.info("dht node {} listening on {} ({} contacts, {} items held, {} published restored)", id,
                transport.localAddress(), table.size(), restoredItems, mine.size());
        readyFuture.complete(null);
    }

    /** Completes once the node has loaded its state and receives packets. */
    public CompletableFuture<Void> ready() {
        return readyFuture;
    }

    public NodeId id() {
        return id;
    }

    public InetSocketAddress localAddress() {
        return transport.localAddress();
    }

    public DhtConfig config() {
        return config;
    }

    /** Free storage capacity advertised in restfs_info; may be called from any thread. */
    public void setFreeBytes(long bytes) {
        this.freeBytes = Math.max(0, bytes);
    }

    // ---------------------------------------------------------------- public API

    /** Pings {@code address}; completes with the id of the node that answered. */
    public CompletableFuture<NodeId> ping(InetSocketAddress address) {
        return onLogic(() -> rpc.call(address, null, t -> new PingQuery(t, id)).thenApply(KrpcResponse::responder));
    }

    /**
     * Pings every address, then looks up our own id to fill the routing table; completes with the table size. Fails
     * when that lookup reached no node that answered it: no address answered the ping, or each one that did left
     * before the lookup's find_node (counting the answered ping as a join left a node with that one dead contact,
     * unknown to every node near it). The node then keeps trying the same addresses in the background, backing off
     * from {@link #BOOTSTRAP_RETRY_FIRST_MILLIS} to {@link #BOOTSTRAP_RETRY_MAX_MILLIS}, until a round succeeds (or
     * until {@link #close()}); a later bootstrap call with other addresses replaces them.
     */
    public CompletableFuture<Integer> bootstrap(List<InetSocketAddress> addresses) {
        List<InetSocketAddress> contacts = List.copyOf(addresses);
        return onLogic(() -> {
            bootstrapContacts = contacts;
            bootstrapRetryDelay = BOOTSTRAP_RETRY_FIRST_MILLIS;
            return bootstrapNow(contacts).thenApply(round -> {
                if (!round.joined()) {
                    scheduleBootstrapRetry();
                    throw new CompletionException(new IllegalStateException(round.pingsAnswered() == 0
                            ? "bootstrap failed: none of " + contacts + " answered"
                            : "bootstrap failed: the lookup of our own id reached no node that answered it ("
                                    + round.pingsAnswered() + " of " + contacts
                                    + " answered the ping, not the lookup)"));
                }
                return table.size();
            });
        });
    }

    /** What one bootstrap round achieved. */
    private record BootstrapRound(int pingsAnswered, boolean joined) {
    }

    /** One bootstrap round: pings, then a lookup of our own id. */
    private CompletableFuture<BootstrapRound> bootstrapNow(List<InetSocketAddress> addresses) {
        List<CompletableFuture<NodeId>> pings = new ArrayList<>();
        for (InetSocketAddress a : addresses) {
            pings.add(rpc.call(a, null, t -> new PingQuery(t, id)).thenApply(KrpcResponse::responder));
        }
        return CompletableFuture.allOf(pings.stream().map(f -> f.handle((v, e) -> v))
                        .toArray(CompletableFuture[]::new))
                .thenCompose(v -> lookupNow(id))
                .thenApply(r -> {
                    int answered = (int) pings.stream().filter(p -> !p.isCompletedExceptionally()).count();
                    boolean reached = !r.closest().isEmpty();
                    if (reached) {
                        joined = true;
                        log.info("dht node {} bootstrapped: {} contacts in {} buckets", id, table.size(),
                                table.bucketCount());
                    }
                    return new BootstrapRound(answered, reached);
                });
    }

    /** Schedules the next bootstrap retry unless one is pending, a round has joined or there is nobody to ask. */
    private void scheduleBootstrapRetry() {
        if (closed || bootstrapRetry != null || joined || bootstrapContacts.isEmpty()) {
            return;
        }
        long delay = bootstrapRetryDelay;
        bootstrapRetryDelay = Math.min(BOOTSTRAP_RETRY_MAX_MILLIS, delay * 2);
        bootstrapRetry = env.scheduler().schedule(delay, () -> {
            bootstrapRetry = null;
            if (closed || joined) {
                return;
            }
            bootstrapRetries++;
            log.info("dht node {}: not joined yet ({} contacts), bootstrap retry {} through {}", id, table.size(),
                    bootstrapRetries, bootstrapContacts);
            bootstrapNow(bootstrapContacts).whenComplete((round, e) -> {
                if (round == null || !round.joined()) {
                    scheduleBootstrapRetry();
                } else {
                    bootstrapRetryDelay = BOOTSTRAP_RETRY_FIRST_MILLIS;
                }
            });
        });
    }

    /** Iterative find_node lookup of {@code target}: the k closest live nodes. */
    public CompletableFuture<LookupResult> lookup(NodeId target) {
        return onLogic(() -> lookupNow(target));
    }

    /** Stores an immutable item (its bencoded value) on the k nodes closest to SHA-1(value). */
    public CompletableFuture<PutResult> putImmutable(byte[] encodedValue) {
        Optional<String> bad = valueProblem(encodedValue);
        if (bad.isPresent()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(bad.get()));
        }
        Item item = new Item.Immutable(encodedValue);
        return onLogic(() -> putNow(item, OptionalLong.empty(), 0));
    }

    /**
     * Signs and stores a mutable item under SHA-1(public key + salt). With {@code cas}, holders only replace the
     * item whose seq equals it (BEP 44; refusals carry 301), and a seq lower than the stored one is refused (302).
     */
    public CompletableFuture<PutResult> putMutable(Ed25519KeyPair owner, byte[] salt, long seq, byte[] encodedValue,
                                                   OptionalLong cas) {
        Optional<String> bad = mutableProblem(salt, seq, encodedValue);
        if (bad.isPresent()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(bad.get()));
        }
        Item item = signMutable(owner, salt, seq, encodedValue);
        return onLogic(() -> putNow(item, cas, 0));
    }

    /**
     * As {@link #putMutable}, with this node as one of the item's holders when it is among the k closest to the
     * item's key (of itself and the nodes that answered the lookup with a token): it stores the item in its own
     * item store under the rules a put from a peer meets (compare-and-swap, seq only forward), on the logic thread
     * and so atomically with the puts peers send it, and the result lists it in {@code storedOn} or
     * {@code refusals} like any holder; the put then goes to the k-1 other closest only. When fewer than
     * {@code minHolders} holders (this node included) are found, nothing is stored anywhere and the result lists
     * no holder. The messages sent are those of {@link #putMutable}; only what this node keeps differs.
     */
    public CompletableFuture<PutResult> putMutableHolding(Ed25519KeyPair owner, byte[] salt, long seq,
                                                          byte[] encodedValue, OptionalLong cas, int minHolders) {
        if (minHolders < 1) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("minHolders must be at least 1: "
                    + minHolders));
        }
        Optional<String> bad = mutableProblem(salt, seq, encodedValue);
        if (bad.isPresent()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(bad.get()));
        }
        Item item = signMutable(owner, salt, seq, encodedValue);
        return onLogic(() -> putNow(item, cas, minHolders));
    }

    /**
     * Stores {@code item} now and again every {@link DhtConfig#republishMillis()} (BEP 44 owners republish hourly)
     * until {@link #unpublish}; completes with the first put's result.
     */
    public CompletableFuture<PutResult> publish(Item item) {
        Optional<String> bad = valueProblem(item.value());
        if (bad.isPresent()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(bad.get()));
        }
        return onLogic(() -> {
            NodeId target = item.target();
            Cancellable old = published.remove(target);
            if (old != null) {
                old.cancel();
            }
            scheduleRepublish(item, config.republishMillis());
            state.savePublished(item);
            renewOwnCopy(item);
            return putNow(item, OptionalLong.empty(), 0);
        });
    }

    /** Stops republishing the item stored under {@code target}. */
    public CompletableFuture<Boolean> unpublish(NodeId target) {
        return onLogic(() -> {
            Cancellable c = published.remove(target);
            if (c != null) {
                c.cancel();
                state.deletePublished(target);
            }
            return CompletableFuture.completedFuture(c != null);
        });
    }

    /**
     * Finds the item stored under {@code target}: an immutable item (verified against its hash) or a mutable item
     * without salt (signature verified; the highest seq wins).
     */
    public CompletableFuture<Optional<Item>> get(NodeId target) {
        return onLogic(() -> getNow(target, new byte[0]));
    }

    /** Finds the mutable item of {@code publicKey} and {@code salt}, signature verified; the highest seq wins. */
    public CompletableFuture<Optional<Item>> getMutable(byte[] publicKey, byte[] salt) {
        NodeId target = Bep44.mutableTarget(publicKey, salt);
        byte[] s = salt.clone();
        return onLogic(() -> getNow(target, s));
    }

    /** BEP 5 get_peers: the peers announced for {@code infoHash}, collected along a lookup of it. */
    public CompletableFuture<List<InetSocketAddress>> getPeers(NodeId infoHash) {
        return onLogic(() -> {
            java.util.LinkedHashSet<InetSocketAddress> found = new java.util.LinkedHashSet<>();
            return runLookup(infoHash, t -> new GetPeersQuery(t, id, infoHash), (node, r) -> found.addAll(r.values()))
                    .thenApply(result -> List.copyOf(found));
        });
    }

    /**
     * BEP 5 announce_peer: tells the k nodes closest to {@code infoHash} that this host serves it on {@code port}
     * (or, with {@code impliedPort}, on the port our datagrams come from); completes with the number that accepted.
     */
    public CompletableFuture<Integer> announcePeer(NodeId infoHash, int port, boolean impliedPort) {
        return onLogic(() -> runLookup(infoHash, t -> new GetPeersQuery(t, id, infoHash), (n, r) -> { })
                .thenCompose(result -> {
                    List<LookupResult.Answered> withToken = result.closest().stream()
                            .filter(a -> a.response().token().isPresent()).toList();
                    List<CompletableFuture<Boolean>> acks = new ArrayList<>();
                    for (LookupResult.Answered a : withToken) {
                        byte[] token = a.response().token().get();
                        acks.add(rpc.call(a.node().address(), a.node().id(),
                                        t -> new AnnouncePeerQuery(t, id, infoHash, port, impliedPort, token))
                                .handle((r, e) -> e == null));
                    }
                    return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).thenApply(v ->
                            (int) acks.stream().filter(CompletableFuture::join).count());
                }));
    }

    /**
     * Up to {@code n} restfs peers closest to {@code target} that may hold data: each answered restfs_info with a
     * valid signature by the key its id derives from, and advertises a shard endpoint. Routing-only (Mainline)
     * peers are never among them.
     */
    public CompletableFuture<List<DataHolder>> closestDataHolders(NodeId target, int n) {
        return onLogic(() -> lookupNow(target).thenCompose(result -> {
            List<CompletableFuture<Optional<DataHolder>>> asks = new ArrayList<>();
            for (NodeInfo node : result.nodes()) {
                asks.add(infoOf(node).thenApply(o -> o.filter(RestfsNodeInfo::servesShards)
                        .map(info -> new DataHolder(node, info))));
            }
            return CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).thenApply(v -> asks.stream()
                    .map(CompletableFuture::join).flatMap(Optional::stream).limit(n).toList());
        }));
    }

    /**
     * Drops {@code peer} from the routing table and keeps it out of this node's lookups for {@link #FORGET_MILLIS},
     * however often live peers still name it, unless it reaches us itself (a query or an answer from it ends the
     * exclusion). For callers that know better than the DHT that a node is gone, such as a cluster membership
     * service that saw it die: without this every lookup near it waits out a hard timeout until the routing
     * tables of all peers have aged it out. Completes with whether it was in the table.
     */
    public CompletableFuture<Boolean> forget(NodeId peer) {
        return onLogic(() -> {
            if (peer.equals(id)) {
                return CompletableFuture.completedFuture(false);
            }
            forgotten.remove(peer);
            forgotten.put(peer, env.clock().nowMillis() + FORGET_MILLIS);
            while (forgotten.size() > MAX_FORGOTTEN) {
                forgotten.remove(forgotten.keySet().iterator().next());
            }
            return CompletableFuture.completedFuture(table.remove(peer));
        });
    }

    /**
     * A call to {@code peer} went unanswered through every one of its sends. The routing table counts the failure: a
     * peer that never answered us is bad at once (and replaced from the replacement cache); one that did gets BEP 5's
     * second chance, and it gets it now, a ping, instead of at a maintenance pass after 15 minutes of silence. A
     * departed node is so bad, replaced, and left out of our find_node answers within seconds of its first missed
     * call, where before it stayed a good contact that we handed out for up to 15 minutes (measured in the simulator:
     * most lookups of a 1,000-node network with sessions of median 1 hour met several departed nodes, each costing a
     * hard timeout). A live peer that was only slow or unlucky answers the ping and is good again. One that goes bad
     * is remembered and pinged again later (see {@link #retryLost}).
     */
    private void unanswered(NodeId peer) {
        lastUnansweredMillis = env.clock().nowMillis();
        Optional<Contact> before = table.get(peer).filter(c -> c.liveness() != Liveness.BAD);
        table.failed(peer);
        Optional<Contact> after = table.get(peer).filter(c -> c.liveness() != Liveness.BAD);
        if (after.isPresent()) {
            pingContact(after.get());
        } else if (before.isPresent()) {
            rememberLost(before.get());
        }
    }

    /** A contact just went bad: kept among the {@link #MAX_LOST_CONTACTS} latest for {@link #retryLost}. */
    private void rememberLost(Contact c) {
        lost.removeIf(l -> l.id().equals(c.id()));
        lost.addLast(new LostContact(c.id(), c.address(), env.clock().nowMillis()));
        while (lost.size() > MAX_LOST_CONTACTS) {
            lost.removeFirst();
        }
    }

    /**
     * Pings the contact lost longest ago, one a maintenance pass, once each, round the list; an answer brings it back
     * into the table (every answer is observed). This is how a network that was split heals: while it is, each side
     * finds the other silent and drops it, and once every table holds only its own side, nothing else would ever
     * send a packet across again (simulated: 300 nodes split in two for 20 minutes stayed split, every lookup
     * missing the other half, for as long as the run went on). Under churn most lost contacts are departed nodes,
     * one unanswered ping a minute each node.
     */
    private void retryLost(long now) {
        while (!lost.isEmpty()) {
            LostContact l = lost.removeFirst();
            if (now - l.lostAtMillis() > LOST_CONTACT_MILLIS || isForgotten(l.id())
                    || table.get(l.id()).filter(c -> c.liveness() != Liveness.BAD).isPresent()) {
                continue;
            }
            lost.addLast(l);
            // No expected id: its silence is no news (the contact is bad or gone already), so it counts neither as a
            // failure nor as churn seen; whoever answers from that address is observed like any responder.
            rpc.call(l.address(), null, t -> new PingQuery(t, id), 1, new RpcCallback() {
                @Override
                public void onResponse(KrpcResponse response, long rttMillis) {
                    lost.removeIf(x -> x.id().equals(l.id()));
                }

                @Override
                public void onError(KrpcError error) {
                }

                @Override
                public void onTimeout() {
                }
            });
            return;
        }
    }

    /**
     * Whether peers are seen leaving: a call to a known peer went unanswered through all its sends within {@link
     * #CHURN_SEEN_MILLIS}. Then silence more likely means a departed peer than a lost packet: the 2k closest members
     * are pinged sooner and a lookup query gets {@link #CHURN_LOOKUP_ATTEMPTS} sends instead of three.
     */
    private boolean churnSeen() {
        return env.clock().nowMillis() - lastUnansweredMillis < CHURN_SEEN_MILLIS;
    }

    private boolean isForgotten(NodeId peer) {
        if (forgotten.isEmpty()) {
            // Nearly always, and asked for every contact a lookup meets: spare hashing an id seen for the first time.
            return false;
        }
        Long until = forgotten.get(peer);
        if (until == null) {
            return false;
        }
        if (env.clock().nowMillis() >= until) {
            forgotten.remove(peer);
            return false;
        }
        return true;
    }

    /**
     * Exempts the sources {@code trusted} accepts from the per-IP query rate limit and item quota, which exist
     * against strangers. For peers authenticated by other means, such as the members of a restfs cluster (cluster
     * key): a gateway writes many records and, in a cluster on one host, all members share one IP. The predicate
     * sees the UDP source address; a forged source gains nothing it could use, since an item put needs a token
     * sent to that address. It is called on the logic thread and must be fast and thread-safe.
     */
    public void setTrusted(Predicate<InetSocketAddress> trusted) {
        this.trusted = java.util.Objects.requireNonNull(trusted, "trusted");
    }

    /** The routing table's members, bucket by bucket. */
    public CompletableFuture<List<Contact>> contacts() {
        return onLogic(() -> CompletableFuture.completedFuture(table.contacts()));
    }

    /** The verified restfs_info of {@code peer}, if it has answered one. */
    public CompletableFuture<Optional<RestfsNodeInfo>> peerInfo(NodeId peer) {
        return onLogic(() -> CompletableFuture.completedFuture(infos.get(peer)));
    }

    public CompletableFuture<DhtStats> stats() {
        return onLogic(() -> CompletableFuture.completedFuture(new DhtStats(table.size(), table.bucketCount(),
                items.size(), published.size(), limiter.refused(), itemsRefused, rpc.stats())));
    }

    /** Saves the routing table, stops timers, fails pending calls, and closes the transport and state store. */
    public CompletableFuture<Void> close() {
        env.scheduler().execute(this::shutdown);
        return closedFuture;
    }

    /** Why {@code encodedValue} cannot be a BEP 44 value (not one bencoded value, or over 1000 bytes), if it cannot. */
    public static Optional<String> valueProblem(byte[] encodedValue) {
        if (encodedValue.length > Item.MAX_VALUE_BYTES) {
            return Optional.of("value is " + encodedValue.length + " bytes bencoded, BEP 44 allows at most "
                    + Item.MAX_VALUE_BYTES);
        }
        try {
            new BencodeDecoder(BencodeLimits.KRPC.withMaxInputBytes(Item.MAX_VALUE_BYTES)).decode(encodedValue);
            return Optional.empty();
        } catch (BencodeException e) {
            return Optional.of("value is not one bencoded value: " + e.getMessage());
        }
    }

    private static Optional<String> mutableProblem(byte[] salt, long seq, byte[] encodedValue) {
        Optional<String> bad = valueProblem(encodedValue);
        if (bad.isEmpty() && salt.length > Item.MAX_SALT_BYTES) {
            bad = Optional.of("salt is " + salt.length + " bytes, BEP 44 allows at most " + Item.MAX_SALT_BYTES);
        }
        if (bad.isEmpty() && seq < 0) {
            bad = Optional.of("seq must not be negative: " + seq);
        }
        return bad;
    }

    /** Signs a mutable item the way {@link #putMutable} does, e.g. to {@link #publish} it. */
    public static Item.Mutable signMutable(Ed25519KeyPair owner, byte[] salt, long seq, byte[] encodedValue) {
        byte[] sig = Bep44.signMutable(owner, salt, seq, encodedValue);
        return new Item.Mutable(owner.publicKey(), salt, seq, encodedValue, sig);
    }

    /** Peers whose round-trip time is remembered; logic thread only (tests of the memory bounds). */
    int rttPeersTracked() {
        return rpc.rttPeersTracked();
    }

    /** Verified restfs_info records held; logic thread only (tests of the memory bounds). */
    int peerInfosKept() {
        return infos.size();
    }

    // ---------------------------------------------------------------- logic-thread internals

    private <T> CompletableFuture<T> onLogic(Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        env.scheduler().execute(() -> {
            if (closed) {
                result.completeExceptionally(new IllegalStateException("dht node " + id + " is closed"));
                return;
            }
            try {
                work.get().whenComplete((v, e) -> {
                    if (e != null) {
                        result.completeExceptionally(e instanceof CompletionException && e.getCause() != null
                                ? e.getCause() : e);
                    } else {
                        result.complete(v);
                    }
                });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void shutdown() {
        if (closed) {
            return;
        }
        closed = true;
        if (maintenance != null) {
            maintenance.cancel();
        }
        if (bootstrapRetry != null) {
            bootstrapRetry.cancel();
        }
        published.values().forEach(Cancellable::cancel);
        published.clear();
        try {
            saveContacts();
        } catch (RuntimeException e) {
            log.warn("dht node {}: could not save routing table: {}", id, e.toString());
        }
        try {
            rpc.close();
            transport.close();
        } finally {
            try {
                state.close();
            } finally {
                closedFuture.complete(null);
            }
        }
    }

    private void maintain() {
        if (closed) {
            return;
        }
        long now = env.clock().nowMillis();
        for (NodeId gone : items.expire()) {
            state.deleteItem(gone);
        }
        peers.expire(now);
        for (NodeId target : table.refreshTargets(env.random())) {
            lookupNow(target);
        }
        if (churnSeen()) {
            for (Contact c : table.closest(id, NEIGHBOURS_PER_K * config.k())) {
                if (now - c.lastSeenMillis() >= NEIGHBOUR_SILENCE_MILLIS) {
                    pingContact(c);
                }
            }
        }
        retryLost(now);
        List<Contact> questionable = table.questionable();
        for (int i = 0; i < questionable.size() && i < QUESTIONABLE_PINGS_PER_PASS; i++) {
            pingContact(questionable.get(i));
        }
        if (now - contactsSavedAt >= config.contactSaveMillis()) {
            saveContacts();
        }
        // Every member may have gone away since the bootstrap (a partition, a restart from stale state).
        scheduleBootstrapRetry();
        maintenance = env.scheduler().schedule(config.maintenanceMillis(), this::maintain);
    }

    private void saveContacts() {
        contactsSavedAt = env.clock().nowMillis();
        List<SavedContact> out = new ArrayList<>();
        for (Contact c : table.contacts()) {
            out.add(new SavedContact(c.id(), c.address(), c.kind()));
        }
        state.saveContacts(out);
    }

    private void scheduleRepublish(Item item, long delayMillis) {
        Cancellable c = env.scheduler().schedule(delayMillis, () -> {
            if (closed || !published.containsKey(item.target())) {
                return;
            }
            scheduleRepublish(item, config.republishMillis());
            renewOwnCopy(item);
            putNow(item, OptionalLong.empty(), 0).whenComplete((r, e) -> {
                if (e != null) {
                    log.info("dht node {}: republish of {} failed: {}", id, item.target(), e.toString());
                }
            });
        });
        published.put(item.target(), c);
    }

    /**
     * Renews this node's own copy of a published item, when it holds that very item (a {@link #putMutableHolding}
     * kept it): the owner's republication reaches only the other holders, and the copy would otherwise expire.
     */
    private void renewOwnCopy(Item item) {
        if (items.get(item.target()).filter(item::equals).isPresent()) {
            keep(item, localAddress().getAddress(), OptionalLong.empty(), true);
        }
    }

    private void observe(NodeId peer, InetSocketAddress address, boolean responded) {
        if (!forgotten.isEmpty()) {
            // It reached us itself, so it is back (restarted, or never dead): no longer skip it.
            forgotten.remove(peer);
        }
        Observation o = table.observe(peer, address, responded);
        if (o instanceof Observation.Added) {
            table.get(peer).ifPresent(this::checkNewContact);
        } else if (o instanceof Observation.Cached cached && cached.pingCandidate().isPresent()) {
            pingContact(cached.pingCandidate().get());
        }
    }

    /**
     * First checks of a contact that just entered the table: what kind of peer it is (restfs_info, unless it is
     * known to be routing-only or its verified info is at hand) and, when it has never answered us (it reached us
     * with a query, or was reloaded from saved state), whether its address answers at all. An answer to restfs_info
     * shows that, so the plain BEP 5 ping goes only when restfs_info gets an error or no answer (see
     * {@link #askInfo}), or when none is asked: a Mainline node may drop restfs_info silently, so only the ping's
     * silence says the address is dead or spoofed, and only it counts as a failure. Sending both at once cost a ping
     * per new contact that nearly always proved what the restfs_info answer proved too: a third of the 10,000-node
     * simulation's start-up traffic.
     */
    private void checkNewContact(Contact c) {
        if (c.kind() != PeerKind.ROUTING_ONLY && infos.get(c.id()).isPresent()) {
            // Back in the table after it left it (a missed call, a forget): its info, signed by the key its id
            // derives from, still says what it is; the new entry must say so too, or it would never hold data.
            table.setKind(c.id(), PeerKind.RESTFS);
        } else if (c.kind() != PeerKind.ROUTING_ONLY) {
            askInfo(c.id(), c.address(), info -> { });
            return;
        }
        pingIfNeverAnswered(c.id());
    }

    /** Pings a contact still in the table that has never answered us; see {@link #checkNewContact}. */
    private void pingIfNeverAnswered(NodeId peer) {
        table.get(peer).filter(c -> c.lastResponseMillis() == Contact.NEVER).ifPresent(this::pingContact);
    }

    /**
     * A lookup's candidate stayed silent through all its sends: tell a peer whose answer named it (restfs_silent; the
     * lookup calls this for each of the first three), which checks it with a ping of its own. That peer would
     * otherwise go on handing the departed node out to every lookup near it until its own next ping of it, minutes
     * later (see {@link #NEIGHBOUR_SILENCE_MILLIS}). One try, no answer awaited: a lost report costs only the speed-up.
     */
    private void reportSilent(NodeInfo silent, NodeInfo namedBy) {
        rpc.call(namedBy.address(), namedBy.id(), t -> new RestfsSilentQuery(t, id, silent.id()), 1,
                RpcCallback.IGNORE);
    }

    /**
     * A peer reports that {@code silent}, which we handed out, did not answer it. Its word is not taken: when the
     * contact is in our table and has been silent for {@link #SILENT_REPORT_MIN_SILENCE_MILLIS}, we ping it; a
     * departed node then fails that ping and is bad within seconds, a live one answers and stays. At most one ping
     * per contact is in flight, and its answer restarts the silence, so reports about a live peer, true or forged,
     * cost it at most one ping per {@link #SILENT_REPORT_MIN_SILENCE_MILLIS}.
     */
    private void checkSilent(NodeId silent, long now) {
        table.get(silent)
                .filter(c -> c.liveness() != Liveness.BAD)
                .filter(c -> now - c.lastSeenMillis() >= SILENT_REPORT_MIN_SILENCE_MILLIS)
                .ifPresent(this::pingContact);
    }

    private void pingContact(Contact c) {
        pingContact(c, () -> { });
    }

    /** Pings {@code c} unless a ping of it is in flight, and runs {@code answered} if this one is answered. */
    private void pingContact(Contact c, Runnable answered) {
        if (!pinging.add(c.id())) {
            return;
        }
        rpc.call(c.address(), c.id(), t -> new PingQuery(t, id), config.timeouts().attempts(), new RpcCallback() {
            @Override
            public void onResponse(KrpcResponse response, long rttMillis) {
                pinging.remove(c.id());
                answered.run();
            }

            @Override
            public void onError(KrpcError error) {
                pinging.remove(c.id());
            }

            @Override
            public void onTimeout() {
                pinging.remove(c.id());
            }
        });
    }

    /**
     * Asks a peer for its restfs_info: verifies it, or marks the peer routing-only on 204 or when it answers a ping
     * but not this. A contact that has never answered us and does not answer this with its info is pinged: only an
     * answer with its id shows that it lives at that address.
     */
    private void askInfo(NodeId peer, InetSocketAddress address, Consumer<Optional<RestfsNodeInfo>> then) {
        if (!infoPending.add(peer)) {
            then.accept(Optional.empty());
            return;
        }
        // No expected id for the engine: a silent answer to restfs_info is judged below, not as a plain failure.
        rpc.call(address, null, t -> new RestfsInfoQuery(t, id), config.timeouts().attempts(), new RpcCallback() {
            @Override
            public void onResponse(KrpcResponse response, long rttMillis) {
                infoPending.remove(peer);
                Optional<RestfsNodeInfo> info = response.restfsInfo();
                if (info.isEmpty()) {
                    // Answered, but not with restfs fields: a Mainline node that ignores unknown methods.
                    table.setKind(peer, PeerKind.ROUTING_ONLY);
                    then.accept(Optional.empty());
                    return;
                }
                RestfsNodeInfo i = info.get();
                if (!i.nodeId().equals(peer) || !response.responder().equals(peer)
                        || !i.signatureValid(env.verifier())) {
                    log.warn("dht node {}: peer {} at {} failed verification (id is not SHA-1 of its key, or the "
                            + "signature is bad); dropped", id, peer, address);
                    table.remove(peer);
                    infos.remove(peer);
                    then.accept(Optional.empty());
                    return;
                }
                table.setKind(peer, PeerKind.RESTFS);
                infos.put(peer, i);
                then.accept(info);
            }

            @Override
            public void onError(KrpcError error) {
                infoPending.remove(peer);
                if (error.code() == KrpcError.METHOD_UNKNOWN) {
                    table.setKind(peer, PeerKind.ROUTING_ONLY);
                }
                // An error carries no id: whoever answered from that address may not be the peer.
                pingIfNeverAnswered(peer);
                then.accept(Optional.empty());
            }

            @Override
            public void onTimeout() {
                infoPending.remove(peer);
                // Silence on restfs_info is no liveness failure: Mainline nodes (bittorrent-dht among them) drop
                // methods they do not know. Liveness is the ping's to judge.
                Optional<Contact> c = table.get(peer);
                if (c.isPresent() && c.get().lastResponseMillis() != Contact.NEVER) {
                    // Alive (it answered something else) but silent on restfs_info: a Mainline node that drops
                    // unknown methods instead of answering 204. Routing only, and not asked again.
                    table.setKind(peer, PeerKind.ROUTING_ONLY);
                } else if (c.isPresent()) {
                    // Never answered anything: if it answers a ping, it is such a Mainline node.
                    pingContact(c.get(), () -> table.setKind(peer, PeerKind.ROUTING_ONLY));
                }
                then.accept(Optional.empty());
            }
        });
    }

    private CompletableFuture<Optional<RestfsNodeInfo>> infoOf(NodeInfo node) {
        Optional<RestfsNodeInfo> known = infos.get(node.id());
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(known);
        }
        if (table.get(node.id()).map(c -> c.kind() == PeerKind.ROUTING_ONLY).orElse(false)) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        CompletableFuture<Optional<RestfsNodeInfo>> f = new CompletableFuture<>();
        askInfo(node.id(), node.address(), f::complete);
        return f;
    }

    private RestfsNodeInfo ownInfo() {
        long now = env.clock().nowMillis();
        if (ownInfo == null || now - ownInfoSignedAt >= INFO_RESIGN_MILLIS || ownInfo.freeBytes() != freeBytes) {
            ownInfo = RestfsNodeInfo.sign(key, config.shardHost(), config.shardPort(), config.failureGroup(),
                    freeBytes, Math.max(0, env.wallClock().nowMillis()));
            ownInfoSignedAt = now;
        }
        return ownInfo;
    }

    /**
     * The contacts of our find_node, get_peers and get answers: the closest not known bad, k + k/4 of them (25 at
     * k = 20, 650 bytes of the 1,500 a datagram may carry; a get answer with a large value is trimmed to fit). Under
     * churn a table's closest contacts include nodes that departed minutes ago and have not yet missed a query of ours
     * (BEP 5 keeps a contact good for 15 minutes after it was last heard). In answers of exactly k they push the
     * farthest live ones out, and when every answer near a target does so no lookup ever hears of the k-th closest
     * live node, though the others hold it. Measured in the simulator (1,000 nodes, sessions of median 1 hour): 1% of
     * lookups missed a live true-closest node that most of the other closest held in their tables; with 4 extra
     * contacts 1 lookup in 20,000, with 8 none, at 13% and 26% more bytes per lookup.
     */
    private List<NodeInfo> answerNodes(NodeId target) {
        return table.closestNodes(target, Math.min(KrpcLimits.MAX_NODES, config.k() + config.k() / ANSWER_EXTRA_PER_K));
    }

    private List<NodeInfo> seeds(NodeId target) {
        return table.closestNodes(target, config.k());
    }

    private CompletableFuture<LookupResult> lookupNow(NodeId target) {
        return runLookup(target, t -> new FindNodeQuery(t, id, target), (node, response) -> { });
    }

    private CompletableFuture<LookupResult> runLookup(NodeId target, Function<TransactionId, KrpcQuery> query,
                                                      java.util.function.BiConsumer<NodeInfo, KrpcResponse> seen) {
        CompletableFuture<LookupResult> f = new CompletableFuture<>();
        int attempts = churnSeen() ? Math.min(config.lookupAttempts(), CHURN_LOOKUP_ATTEMPTS) : config.lookupAttempts();
        Lookup lookup = new Lookup(target, id, config.k(), config.alpha(), (node, callback) ->
                rpc.callInLookup(node.address(), node.id(), query, attempts, new RpcCallback() {
                    @Override
                    public void onResponse(KrpcResponse response, long rttMillis) {
                        if (response.responder().equals(node.id())) {
                            seen.accept(node, response);
                        }
                        callback.onResponse(response, rttMillis);
                    }

                    @Override
                    public void onError(KrpcError error) {
                        callback.onError(error);
                    }

                    @Override
                    public void onTimeout() {
                        callback.onTimeout();
                    }

                    @Override
                    public void onSoftTimeout() {
                        callback.onSoftTimeout();
                    }
                }), env.clock(), this::isForgotten, this::reportSilent, f::complete);
        lookup.start(seeds(target));
        return f;
    }

    /**
     * Looks up the nodes closest to {@code item}'s key and puts it on those that gave a token. With
     * {@code selfMinHolders} above 0 this node holds the item too when it is among the k closest (see
     * {@link #putMutableHolding}), and nothing is stored when fewer than that many holders are found.
     */
    private CompletableFuture<PutResult> putNow(Item item, OptionalLong cas, int selfMinHolders) {
        NodeId target = item.target();
        return runLookup(target, t -> new GetQuery(t, id, target), (n, r) -> { }).thenCompose(result -> {
            List<LookupResult.Answered> answered = result.closest().stream()
                    .filter(a -> a.response().token().isPresent()).toList();
            List<NodeInfo> stored = new ArrayList<>();
            List<PutResult.Refusal> refusals = new ArrayList<>();
            List<LookupResult.Answered> withToken = answered;
            if (selfMinHolders > 0) {
                long closer = answered.stream().filter(a -> target.compareDistance(a.node().id(), id) < 0).count();
                boolean selfHolds = closer < config.k();
                if (selfHolds) {
                    // The holders are the k closest of us and them: we take the place of their farthest.
                    withToken = answered.subList(0, Math.min(answered.size(), config.k() - 1));
                }
                if (withToken.size() + (selfHolds ? 1 : 0) < selfMinHolders) {
                    return CompletableFuture.completedFuture(new PutResult(target, List.of(), List.of(), result));
                }
                if (selfHolds) {
                    NodeInfo self = new NodeInfo(id, localAddress());
                    PutOutcome own = keep(item, localAddress().getAddress(), cas, true);
                    if (own instanceof PutOutcome.Refused r) {
                        refusals.add(new PutResult.Refusal(self, r.code(), r.message()));
                    } else {
                        stored.add(self);
                    }
                }
            }
            if (withToken.isEmpty()) {
                return CompletableFuture.completedFuture(new PutResult(target, List.copyOf(stored),
                        List.copyOf(refusals), result));
            }
            CompletableFuture<PutResult> done = new CompletableFuture<>();
            int[] outstanding = {withToken.size()};
            Runnable finishOne = () -> {
                if (--outstanding[0] == 0) {
                    done.complete(new PutResult(target, List.copyOf(stored), List.copyOf(refusals), result));
                }
            };
            for (LookupResult.Answered a : withToken) {
                byte[] token = a.response().token().get();
                Function<TransactionId, KrpcQuery> put = item instanceof Item.Mutable m
                        ? t -> new PutMutableQuery(t, id, token, m.value(), m.publicKey(), m.signature(), m.seq(),
                        m.salt(), cas)
                        : t -> new PutImmutableQuery(t, id, token, item.value());
                rpc.call(a.node().address(), a.node().id(), put, config.timeouts().attempts(), new RpcCallback() {
                    @Override
                    public void onResponse(KrpcResponse response, long rttMillis) {
                        stored.add(a.node());
                        finishOne.run();
                    }

                    @Override
                    public void onError(KrpcError error) {
                        refusals.add(new PutResult.Refusal(a.node(), error.code(), error.message()));
                        finishOne.run();
                    }

                    @Override
                    public void onTimeout() {
                        refusals.add(new PutResult.Refusal(a.node(), RpcException.TIMEOUT, "timed out"));
                        finishOne.run();
                    }
                });
            }
            return done;
        });
    }

    private CompletableFuture<Optional<Item>> getNow(NodeId target, byte[] salt) {
        Item[] best = {items.get(target).filter(i -> verifies(i, target, salt)).orElse(null)};
        return runLookup(target, t -> new GetQuery(t, id, target), (node, r) -> {
            Optional<Item> found = itemOf(r, target, salt);
            if (found.isPresent() && better(found.get(), best[0])) {
                best[0] = found.get();
            }
        }).thenApply(result -> Optional.ofNullable(best[0]));
    }

    private static boolean better(Item candidate, Item current) {
        if (current == null) {
            return true;
        }
        return candidate instanceof Item.Mutable c && current instanceof Item.Mutable m && c.seq() > m.seq();
    }

    /** The item in a get answer, if it is present and checks out against the target (hash or signature). */
    private Optional<Item> itemOf(KrpcResponse r, NodeId target, byte[] salt) {
        if (r.value().isEmpty()) {
            return Optional.empty();
        }
        Item item = r.hasMutableItem()
                ? new Item.Mutable(r.publicKey().get(), salt, r.seq().getAsLong(), r.value().get(), r.signature().get())
                : new Item.Immutable(r.value().get());
        return verifies(item, target, salt) ? Optional.of(item) : Optional.empty();
    }

    private boolean verifies(Item item, NodeId target, byte[] salt) {
        if (!item.target().equals(target)) {
            return false;
        }
        if (item instanceof Item.Mutable m) {
            return Arrays.equals(m.salt(), salt)
                    && Bep44.verifyMutable(env.verifier(), m.publicKey(), m.salt(), m.seq(), m.value(), m.signature());
        }
        return true;
    }

    private void onQuery(KrpcQuery query, InetSocketAddress from) {
        if (!query.readOnly()) {
            // BEP 43: a read-only querier does not answer queries, so it must not enter the routing table (a
            // short-lived client would linger there as a dead entry that lookups wait on). It is still answered.
            observe(query.sender(), from, false);
        }
        KrpcMessage reply;
        try {
            reply = answer(query, from);
        } catch (IllegalArgumentException e) {
            // A query whose fields are individually valid but cannot be served (e.g. a value the store cannot wrap).
            reply = new KrpcError(query.transactionId(), KrpcError.PROTOCOL, e.getMessage());
        }
        rpc.reply(from, reply);
    }

    private KrpcMessage answer(KrpcQuery query, InetSocketAddress from) {
        TransactionId t = query.transactionId();
        long now = env.clock().nowMillis();
        if (query instanceof PingQuery) {
            return KrpcResponse.of(t, id);
        }
        if (query instanceof FindNodeQuery q) {
            return KrpcResponse.builder(t, id).nodes(answerNodes(q.target())).build();
        }
        if (query instanceof GetPeersQuery q) {
            KrpcResponse.Builder b = KrpcResponse.builder(t, id).token(tokens.issue(from.getAddress()));
            List<InetSocketAddress> known = peers.peers(q.infoHash(), now);
            return known.isEmpty() ? b.nodes(answerNodes(q.infoHash())).build() : b.values(known).build();
        }
        if (query instanceof AnnouncePeerQuery q) {
            if (!tokens.isValid(from.getAddress(), q.token())) {
                return new KrpcError(t, KrpcError.PROTOCOL, "bad token");
            }
            int port = q.impliedPort() ? from.getPort() : q.port();
            if (!peers.announce(q.infoHash(), new InetSocketAddress(from.getAddress(), port), now)) {
                return new KrpcError(t, KrpcError.SERVER, "peer store full");
            }
            return KrpcResponse.of(t, id);
        }
        if (query instanceof GetQuery q) {
            byte[] token = tokens.issue(from.getAddress());
            Optional<Item> item = items.get(q.target());
            return fitted(answerNodes(q.target()), nodes -> {
                KrpcResponse.Builder b = KrpcResponse.builder(t, id).token(token).nodes(nodes);
                if (item.isPresent() && item.get() instanceof Item.Mutable m) {
                    if (q.seq().isPresent() && m.seq() <= q.seq().getAsLong()) {
                        b.seq(m.seq());
                    } else {
                        b.value(m.value()).mutable(m.publicKey(), m.signature(), m.seq());
                    }
                } else if (item.isPresent()) {
                    b.value(item.get().value());
                }
                return b.build();
            });
        }
        if (query instanceof PutImmutableQuery q) {
            if (!tokens.isValid(from.getAddress(), q.token())) {
                itemsRefused++;
                return new KrpcError(t, KrpcError.PROTOCOL, "bad token");
            }
            return store(t, new Item.Immutable(q.value()), from, OptionalLong.empty());
        }
        if (query instanceof PutMutableQuery q) {
            if (!tokens.isValid(from.getAddress(), q.token())) {
                itemsRefused++;
                return new KrpcError(t, KrpcError.PROTOCOL, "bad token");
            }
            if (!q.signatureValid(env.verifier())) {
                itemsRefused++;
                return new KrpcError(t, KrpcError.INVALID_SIGNATURE, "invalid signature");
            }
            return store(t, new Item.Mutable(q.publicKey(), q.salt(), q.seq(), q.value(), q.signature()), from,
                    q.cas());
        }
        if (query instanceof RestfsSilentQuery q) {
            checkSilent(q.silent(), now);
            return KrpcResponse.of(t, id);
        }
        if (query instanceof RestfsInfoQuery) {
            return KrpcResponse.builder(t, id).restfsInfo(ownInfo()).build();
        }
        if (query instanceof UnknownQuery q) {
            return new KrpcError(t, KrpcError.METHOD_UNKNOWN, "method unknown: " + q.method());
        }
        return new KrpcError(t, KrpcError.METHOD_UNKNOWN, "method unknown: " + query.method());
    }

    /**
     * The response built with as many of {@code nodes} (closest first) as fit one KRPC datagram: a get answer
     * carrying a 1000-byte value and 20 contacts would exceed what peers accept (1500 bytes).
     */
    private KrpcResponse fitted(List<NodeInfo> nodes, Function<List<NodeInfo>, KrpcResponse> build) {
        List<NodeInfo> use = nodes;
        KrpcResponse r = build.apply(use);
        while (!use.isEmpty() && codec.encode(r).length > BencodeLimits.KRPC_MAX_PACKET_BYTES) {
            use = use.subList(0, Math.max(0, use.size() - 2));
            r = build.apply(use);
        }
        return r;
    }

    private KrpcMessage store(TransactionId t, Item item, InetSocketAddress from, OptionalLong cas) {
        PutOutcome outcome = keep(item, from.getAddress(), cas, trusted.test(from));
        if (outcome instanceof PutOutcome.Refused r) {
            return new KrpcError(t, r.code(), r.message());
        }
        return KrpcResponse.of(t, id);
    }

    /** Puts {@code item} in this node's item store and saves it; logic thread only. */
    private PutOutcome keep(Item item, InetAddress source, OptionalLong cas, boolean trustedSource) {
        PutOutcome outcome = items.put(item, source, cas, trustedSource);
        if (outcome instanceof PutOutcome.Refused) {
            itemsRefused++;
            return outcome;
        }
        StoredItem s = items.stored(item.target()).orElseThrow();
        state.saveItem(new SavedItem(s.item(), env.clock().nowMillis() - s.storedAtMillis(), s.source()));
        return outcome;
    }
}
