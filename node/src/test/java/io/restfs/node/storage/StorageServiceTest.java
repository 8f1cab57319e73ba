package io.restfs.node.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.restfs.api.BucketEvent;
import io.restfs.api.BucketInfo;
import io.restfs.api.BucketPolicy;
import io.restfs.api.DirEntry;
import io.restfs.api.ErrorCode;
import io.restfs.api.Limits;
import io.restfs.api.ObjectInfo;
import io.restfs.api.ObjectType;
import io.restfs.api.ObjectVersion;
import io.restfs.api.RestfsException;
import io.restfs.api.SegmentInfo;
import io.restfs.api.ShardLocation;

/** The storage service on a six-node loopback cluster in three failure groups, with every node healthy. */
class StorageServiceTest {
    /** 64 KiB segments, so a few hundred KiB make several segments. */
    static final int SEGMENT = 64 << 10;
    static final BucketPolicy SMALL_SEGMENTS = new BucketPolicy(4, 2, SEGMENT, true, true, false);
    /** Races run per concurrency test: each is a fresh chance for two writers to both think they won. */
    static final int ROUNDS = 3;

    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(dir, 6, 3);
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static RestfsException refused(ErrorCode code, org.junit.jupiter.api.function.Executable call) {
        RestfsException e = assertThrows(RestfsException.class, call);
        assertEquals(code, e.code(), e.toString());
        return e;
    }

    @Test
    void roundTripsEmptySmallAndMultiSegmentObjectsThroughAnyNode() throws Exception {
        cluster.storage(0).create("roundtrip", SMALL_SEGMENTS);
        byte[][] bodies = {new byte[0], random(1000, 1), random(5 * SEGMENT + 123, 2)};
        for (int i = 0; i < bodies.length; i++) {
            ObjectInfo put = cluster.storage(i).put("roundtrip", "/f" + i, bodies[i], null);
            assertEquals(bodies[i].length, put.size());
            assertEquals(1, put.version());
            assertEquals(sha256(bodies[i]), put.sha256());
            assertEquals((bodies[i].length + SEGMENT - 1) / SEGMENT, put.segments());
            for (int reader = 0; reader < cluster.size(); reader += 2) {
                assertArrayEquals(bodies[i], cluster.storage(reader).get("roundtrip", "/f" + i, null),
                        "object " + i + " read through node " + reader);
            }
        }
        // A range across a segment boundary, streamed.
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cluster.storage(3).get("roundtrip", "/f2", null, SEGMENT - 10, SEGMENT + 20, out);
        assertArrayEquals(java.util.Arrays.copyOfRange(bodies[2], SEGMENT - 10, 2 * SEGMENT + 10), out.toByteArray());
        // Streaming put of exactly the given length; a short body stores nothing.
        ObjectInfo streamed = cluster.storage(4).put("roundtrip", "/streamed", new ByteArrayInputStream(bodies[2]),
                bodies[2].length, null);
        assertEquals(sha256(bodies[2]), streamed.sha256());
        refused(ErrorCode.INVALID_PARAMS, () -> cluster.storage(4).put("roundtrip", "/short",
                new ByteArrayInputStream(bodies[1]), bodies[1].length + 1, null));
        refused(ErrorCode.NOT_FOUND, () -> cluster.storage(0).stat("roundtrip", "/short", null));
        refused(ErrorCode.NOT_FOUND, () -> cluster.storage(0).get("roundtrip", "/missing", null));
        refused(ErrorCode.NOT_FOUND, () -> cluster.storage(0).get("no-such-bucket", "/f1", null));
        refused(ErrorCode.INVALID_PARAMS, () -> cluster.storage(0).put("roundtrip", "/a/../b", bodies[1], null));
    }

    @Test
    void everyWriteMakesAVersionAndOldOnesStayReadable() throws Exception {
        cluster.storage(1).create("versions", SMALL_SEGMENTS);
        List<byte[]> bodies = new ArrayList<>();
        for (int v = 1; v <= 3; v++) {
            bodies.add(random(700 * v, 10 + v));
            assertEquals(v, cluster.storage(v).put("versions", "/doc", bodies.get(v - 1), null).version());
        }
        cluster.storage(2).delete("versions", "/doc");
        refused(ErrorCode.NOT_FOUND, () -> cluster.storage(0).get("versions", "/doc", null));
        List<ObjectVersion> versions = cluster.storage(0).versionsAll("versions", "/doc");
        assertEquals(List.of(4L, 3L, 2L, 1L), versions.stream().map(ObjectVersion::version).toList());
        assertTrue(versions.get(0).deleted());
        for (int v = 1; v <= 3; v++) {
            assertArrayEquals(bodies.get(v - 1), cluster.storage(5).get("versions", "/doc", (long) v));
            assertEquals(sha256(bodies.get(v - 1)), versions.get(3 - v + 1).sha256());
        }
        refused(ErrorCode.NOT_FOUND, () -> cluster.storage(0).get("versions", "/doc", 4L));
        refused(ErrorCode.NOT_FOUND, () -> cluster.storage(0).get("versions", "/doc", 9L));
        // Writing again after the delete continues the history.
        assertEquals(5, cluster.storage(3).put("versions", "/doc", bodies.get(0), null).version());
        assertEquals(5, cluster.storage(0).versionsAll("versions", "/doc").size());
    }

    @Test
    void listingsAndVersionsComeInPages() throws Exception {
        StorageService s = cluster.storage(2);
        s.create("pages", SMALL_SEGMENTS);
        for (String name : List.of("e", "a", "d", "c", "b")) {
            s.put("pages", "/dir/" + name, random(10, name.charAt(0)), null);
        }
        for (int v = 2; v <= 5; v++) {
            s.put("pages", "/dir/a", random(10, v), null);
        }
        List<List<String>> pages = new ArrayList<>();
        String after = null;
        List<DirEntry> page;
        do {
            page = cluster.storage(3).list("pages", "/dir", after, 2);
            pages.add(page.stream().map(DirEntry::name).toList());
            after = page.isEmpty() ? null : page.get(page.size() - 1).name();
        } while (page.size() == 2);
        assertEquals(List.of(List.of("a", "b"), List.of("c", "d"), List.of("e")), pages);
        assertEquals(List.of("c", "d", "e"), s.list("pages", "/dir", "bb", null).stream().map(DirEntry::name)
                .toList());
        assertEquals(List.of(5L, 4L), versionNumbers(s.versions("pages", "/dir/a", null, 2)));
        assertEquals(List.of(3L, 2L), versionNumbers(s.versions("pages", "/dir/a", 4L, 2)));
        assertEquals(List.of(1L), versionNumbers(s.versions("pages", "/dir/a", 2L, 2)));
        assertEquals(List.of(5L, 4L, 3L, 2L, 1L), versionNumbers(s.versionsAll("pages", "/dir/a")));
        assertEquals(List.of(2L, 1L), versionNumbers(s.versions("pages", "/dir/a", 3L, null)));
        refused(ErrorCode.INVALID_PARAMS, () -> s.list("pages", "/dir", "x/y", 2));
        refused(ErrorCode.INVALID_PARAMS, () -> s.list("pages", "/dir", null, 10_001));
        refused(ErrorCode.INVALID_PARAMS, () -> s.versions("pages", "/dir/a", -3L, null));
        refused(ErrorCode.INVALID_PARAMS, () -> s.versions("pages", "/dir/a", null, 0));
    }

    private static List<Long> versionNumbers(List<ObjectVersion> versions) {
        return versions.stream().map(ObjectVersion::version).toList();
    }

    @Test
    void expectedVersionIsACompareAndSwap() {
        cluster.storage(0).create("cas", SMALL_SEGMENTS);
        byte[] body = random(100, 3);
        assertEquals(1, cluster.storage(0).put("cas", "/x", body, 0L).version());
        refused(ErrorCode.CONFLICT, () -> cluster.storage(1).put("cas", "/x", body, 0L));
        refused(ErrorCode.CONFLICT, () -> cluster.storage(1).put("cas", "/x", body, 5L));
        assertEquals(2, cluster.storage(2).put("cas", "/x", body, 1L).version());
    }

    @Test
    void concurrentReplacesWithoutExpectedVersionAllBecomeVersions() throws Exception {
        cluster.storage(0).create("race-replace", SMALL_SEGMENTS);
        for (int round = 0; round < ROUNDS; round++) {
            raceReplacing("/same" + round);
        }
    }

    private void raceReplacing(String path) throws Exception {
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<ObjectInfo>> results = new ArrayList<>();
            Set<String> hashes = new HashSet<>();
            for (int w = 0; w < writers; w++) {
                byte[] body = random(2000, 100 + w);
                hashes.add(sha256(body));
                int node = w;
                results.add(pool.submit(() -> cluster.storage(node).put("race-replace", path, body, null)));
            }
            Set<String> acknowledged = new HashSet<>();
            for (Future<ObjectInfo> f : results) {
                ObjectInfo info = f.get();
                assertTrue(acknowledged.add(info.version() + " " + info.sha256()), "versions are distinct: " + info);
            }
            assertEquals(writers, acknowledged.size());
            // The history holds every acknowledged write under the version it was acknowledged as. (It may hold
            // more: a racing reader can build on a losing writer's copy before the winner replaces it.)
            Set<String> history = new HashSet<>();
            for (ObjectVersion v : cluster.storage(5).versionsAll("race-replace", path)) {
                history.add(v.version() + " " + v.sha256());
                assertTrue(hashes.contains(v.sha256()), "only written contents appear: " + v);
            }
            assertTrue(history.containsAll(acknowledged), "no write was lost: " + acknowledged + " in " + history);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentWritersOfOneVersionGetOneWinnerAndConflicts() throws Exception {
        cluster.storage(0).create("race-cas", SMALL_SEGMENTS);
        for (int round = 0; round < ROUNDS; round++) {
            raceOnExpectedVersion("/same" + round);
        }
    }

    private void raceOnExpectedVersion(String path) throws Exception {
        cluster.storage(0).put("race-cas", path, random(10, 1), null);
        int writers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<ObjectInfo>> results = new ArrayList<>();
            List<byte[]> bodies = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                byte[] body = random(3000, 200 + w);
                bodies.add(body);
                int node = w + 1;
                Callable<ObjectInfo> put = () -> cluster.storage(node).put("race-cas", path, body, 1L);
                results.add(pool.submit(put));
            }
            List<ObjectInfo> won = new ArrayList<>();
            int conflicts = 0;
            for (Future<ObjectInfo> f : results) {
                try {
                    won.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    RestfsException re = (RestfsException) e.getCause();
                    assertEquals(ErrorCode.CONFLICT, re.code(), re.toString());
                    conflicts++;
                }
            }
            assertEquals(writers, won.size() + conflicts);
            assertAtMostOneWonVersion2(won, cluster.storage(5).stat("race-cas", path, null));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Writers of version 2 (expectedVersion 1) raced: at most one {@code won}, and {@code now} is its write. */
    static void assertAtMostOneWonVersion2(List<ObjectInfo> won, ObjectInfo now) {
        assertTrue(won.size() <= 1, "at most one writer of version 2 wins: " + won);
        if (won.isEmpty()) {
            // Every racer lost; their copies may still split the holders, and a reader then sees one of them.
            assertTrue(now.version() <= 2, now.toString());
        } else {
            assertEquals(won.get(0).sha256(), now.sha256(), "the acknowledged write is the one stored");
            assertEquals(2, now.version());
        }
    }

    @Test
    void directoriesMkdirListRenameDelete() {
        StorageService s = cluster.storage(2);
        s.create("dirs", SMALL_SEGMENTS);
        assertEquals(ObjectType.DIRECTORY, s.mkdir("dirs", "/a").type());
        refused(ErrorCode.ALREADY_EXISTS, () -> s.mkdir("dirs", "/a"));
        s.put("dirs", "/a/z.txt", random(10, 1), null);
        s.put("dirs", "/a/b.txt", random(20, 2), null);
        s.put("dirs", "/deep/er/file", random(30, 3), null);
        assertEquals(List.of("b.txt", "z.txt"), cluster.storage(4).listAll("dirs", "/a").stream().map(DirEntry::name).toList());
        assertEquals(List.of("a", "deep"), cluster.storage(4).listAll("dirs", "/").stream().map(DirEntry::name).toList());
        DirEntry b = cluster.storage(4).listAll("dirs", "/a").get(0);
        assertEquals(20, b.size());
        assertEquals(ObjectType.FILE, b.type());

        ObjectInfo moved = s.rename("dirs", "/a/b.txt", "/deep/b2.txt");
        assertEquals("/deep/b2.txt", moved.path());
        assertArrayEquals(random(20, 2), cluster.storage(1).get("dirs", "/deep/b2.txt", null));
        assertEquals(List.of("z.txt"), s.listAll("dirs", "/a").stream().map(DirEntry::name).toList());
        refused(ErrorCode.NOT_FOUND, () -> s.get("dirs", "/a/b.txt", null));
        refused(ErrorCode.ALREADY_EXISTS, () -> s.rename("dirs", "/a/z.txt", "/deep/b2.txt"));
        refused(ErrorCode.NOT_EMPTY, () -> s.rename("dirs", "/deep", "/deep2"));
        s.mkdir("dirs", "/empty");
        s.rename("dirs", "/empty", "/empty2");
        assertEquals(List.of("a", "deep", "empty2"), s.listAll("dirs", "/").stream().map(DirEntry::name).toList());

        refused(ErrorCode.NOT_EMPTY, () -> s.delete("dirs", "/a"));
        s.delete("dirs", "/a/z.txt");
        s.delete("dirs", "/a");
        refused(ErrorCode.NOT_FOUND, () -> s.listAll("dirs", "/a"));
        refused(ErrorCode.NOT_FOUND, () -> s.delete("dirs", "/a"));
        refused(ErrorCode.INVALID_PARAMS, () -> s.listAll("dirs", "/deep/b2.txt"));
        refused(ErrorCode.CONFLICT, () -> s.put("dirs", "/deep", random(5, 5), null));
    }

    @Test
    void bucketsCreateListInfoAndDeleteOnlyWhenEmpty() {
        StorageService s = cluster.storage(3);
        BucketInfo created = s.create("lifecycle", BucketPolicy.of(2, 1));
        assertEquals(BucketPolicy.of(2, 1), created.policy());
        refused(ErrorCode.ALREADY_EXISTS, () -> cluster.storage(1).create("lifecycle", BucketPolicy.defaults()));
        refused(ErrorCode.INVALID_PARAMS, () -> s.create("Bad_Name", BucketPolicy.defaults()));
        refused(ErrorCode.INVALID_PARAMS, () -> s.create("badpolicy", BucketPolicy.of(0, 1)));
        assertTrue(cluster.storage(5).list().stream().anyMatch(b -> b.name().equals("lifecycle")));
        s.put("lifecycle", "/d/one", random(100, 9), null);
        BucketInfo info = cluster.storage(0).info("lifecycle");
        assertEquals(2, info.objectCount(), "a directory and a file");
        assertEquals(100, info.storedBytes());
        refused(ErrorCode.NOT_EMPTY, () -> s.delete("lifecycle"));
        s.delete("lifecycle", "/d/one");
        s.delete("lifecycle", "/d");
        s.delete("lifecycle");
        refused(ErrorCode.NOT_FOUND, () -> s.info("lifecycle"));
        assertFalse(cluster.storage(5).list().stream().anyMatch(b -> b.name().equals("lifecycle")));
        // The name can be used again, and the new bucket starts empty.
        s.create("lifecycle", BucketPolicy.of(2, 1));
        assertEquals(List.of(), s.listAll("lifecycle", "/"));
        refused(ErrorCode.NOT_FOUND, () -> s.stat("lifecycle", "/d", null));
    }

    @Test
    void everyChangeIsPublishedOnTheBucketTopic() {
        LocalCluster.Node n = cluster.node(5);
        n.storage.create("events", SMALL_SEGMENTS);
        n.storage.put("events", "/x", random(10, 1), null);
        n.storage.put("events", "/x", random(10, 2), null);
        n.storage.delete("events", "/x");
        assertEquals(List.of("created / 1", "created /x 1", "changed /x 2", "deleted /x 3"), published(n, "events", 0));
    }

    /** What {@code n} published on {@code bucket}'s topic from its {@code from}-th event on: "type path version". */
    static List<String> published(LocalCluster.Node n, String bucket, int from) {
        List<String> seen = new ArrayList<>();
        for (int i = from; i < n.events.size(); i++) {
            if (n.topics.get(i).equals("bucket." + bucket)) {
                BucketEvent e = n.events.get(i);
                seen.add(e.type() + " " + e.path() + " " + e.version());
            }
        }
        return seen;
    }

    @Test
    void locationsNameDistinctHoldersAcrossGroupsAndSegmentsDecodeAlone() throws Exception {
        StorageService s = cluster.storage(1);
        s.create("where", SMALL_SEGMENTS);
        byte[] body = random(3 * SEGMENT, 7);
        s.put("where", "/f", body, null);
        List<SegmentInfo> segments = cluster.storage(4).locations("where", "/f", null);
        assertEquals(3, segments.size());
        for (SegmentInfo seg : segments) {
            assertEquals(6, seg.shards().size());
            assertEquals(6, seg.shards().stream().map(ShardLocation::nodeId).distinct().count(),
                    "six nodes, six shards: one each");
            assertEquals(3, seg.shards().stream().map(ShardLocation::group).distinct().count());
            for (ShardLocation loc : seg.shards()) {
                assertFalse(loc.address().isEmpty());
                LocalCluster.Node holder = cluster.byId(io.restfs.dht.id.NodeId.fromHex(loc.nodeId()));
                assertTrue(holder.store.has(io.restfs.blockstore.store.ShardKey.fromHex(loc.sha256())),
                        "node " + holder.index + " holds shard " + loc.index());
            }
            assertArrayEquals(java.util.Arrays.copyOfRange(body, (int) seg.offset(), (int) seg.offset() + seg.length()),
                    cluster.storage(2).get("where", "/f", null, seg.index()));
        }
    }

    @Test
    void moreShardsThanNodesIsRefusedUnlessTheBucketAllowsDoublingUp() {
        StorageService s = cluster.storage(0);
        s.create("wide", new BucketPolicy(6, 3, SEGMENT, true, true, false));
        RestfsException e = refused(ErrorCode.INSUFFICIENT_NODES, () -> s.put("wide", "/f", random(1000, 1), null));
        assertTrue(e.getMessage().contains("9 shards"), e.getMessage());
        s.create("wide-doubled", new BucketPolicy(6, 3, SEGMENT, true, true, true));
        byte[] body = random(1000, 2);
        s.put("wide-doubled", "/f", body, null);
        assertArrayEquals(body, cluster.storage(3).get("wide-doubled", "/f", null));
        List<ShardLocation> shards = s.locations("wide-doubled", "/f", null).get(0).shards();
        assertEquals(6, shards.stream().map(ShardLocation::nodeId).distinct().count(), "every node used");
    }

    // ---------------------------------------------------------------------------------------- segment.put

    static byte[] spliced(byte[] body, int index, byte[] segment) {
        byte[] out = Arrays.copyOf(body, Math.max(body.length, index * SEGMENT + segment.length));
        System.arraycopy(segment, 0, out, index * SEGMENT, segment.length);
        return out;
    }

    @Test
    void segmentPutOfTheMiddleSegmentMakesAVersionThatKeepsTheOtherSegmentsShards() throws Exception {
        LocalCluster.Node writer = cluster.node(1);
        writer.storage.create("seg-rewrite", SMALL_SEGMENTS);
        byte[] body = random(2 * SEGMENT + 1000, 1);
        writer.storage.put("seg-rewrite", "/f", body, null);
        List<SegmentInfo> before = cluster.storage(0).locations("seg-rewrite", "/f", null);
        int eventsBefore = writer.events.size();

        byte[] middle = random(SEGMENT, 2);
        ObjectInfo v2 = writer.storage.put("seg-rewrite", "/f", 1, middle, null);

        byte[] expected = spliced(body, 1, middle);
        assertEquals(2, v2.version());
        assertEquals(body.length, v2.size());
        assertEquals(3, v2.segments());
        assertEquals("", v2.sha256(), "the whole file's hash is not known after a segment write");
        assertArrayEquals(expected, cluster.storage(4).get("seg-rewrite", "/f", null), "read through another node");
        assertArrayEquals(body, cluster.storage(5).get("seg-rewrite", "/f", 1L), "the old version reads the old bytes");
        assertArrayEquals(middle, cluster.storage(3).get("seg-rewrite", "/f", null, 1));
        List<SegmentInfo> after = cluster.storage(0).locations("seg-rewrite", "/f", null);
        assertEquals(before.get(0), after.get(0), "segment 0 is the same stored segment, shards and holders");
        assertEquals(before.get(2).segmentId(), after.get(2).segmentId());
        assertNotEquals(before.get(1).segmentId(), after.get(1).segmentId());
        assertEquals(List.of(2L, 1L), cluster.storage(0).versionsAll("seg-rewrite", "/f").stream()
                .map(ObjectVersion::version).toList());
        assertEquals(body.length, cluster.storage(0).listAll("seg-rewrite", "/").get(0).size());
        assertEquals(2, cluster.storage(0).listAll("seg-rewrite", "/").get(0).version());
        assertEquals(List.of("changed /f 2"), published(writer, "seg-rewrite", eventsBefore));
    }

    @Test
    void segmentPutAppendsAfterAFullLastSegmentOnlyAndTheLastMayChangeLength() throws Exception {
        StorageService s = cluster.storage(2);
        s.create("seg-append", SMALL_SEGMENTS);
        byte[] body = random(2 * SEGMENT, 3);
        s.put("seg-append", "/f", body, null);

        byte[] tail = random(500, 4);
        ObjectInfo appended = s.put("seg-append", "/f", 2, tail, 1L);
        assertEquals(2 * SEGMENT + 500, appended.size());
        assertEquals(3, appended.segments());
        byte[] expected = spliced(body, 2, tail);
        assertArrayEquals(expected, cluster.storage(0).get("seg-append", "/f", null));

        refused(ErrorCode.INVALID_PARAMS, () -> s.put("seg-append", "/f", 3, tail, null));
        byte[] longer = random(SEGMENT - 1, 5);
        assertEquals(2 * SEGMENT + longer.length, s.put("seg-append", "/f", 2, longer, 2L).size());
        byte[] shorter = random(7, 6);
        ObjectInfo v4 = s.put("seg-append", "/f", 2, shorter, 3L);
        assertEquals(2 * SEGMENT + 7, v4.size());
        assertArrayEquals(spliced(body, 2, shorter), cluster.storage(5).get("seg-append", "/f", null));

        // An empty file takes segment 0; a file of one segment knows its hash.
        s.put("seg-append", "/empty", new byte[0], null);
        byte[] first = random(100, 7);
        ObjectInfo one = cluster.storage(3).put("seg-append", "/empty", 0, first, null);
        assertEquals(sha256(first), one.sha256());
        assertArrayEquals(first, cluster.storage(4).get("seg-append", "/empty", null));
        assertEquals(sha256(first), cluster.storage(4).stat("seg-append", "/empty", null).sha256());
    }

    @Test
    void segmentPutWithExpectedVersionIsACompareAndSwap() throws Exception {
        StorageService s = cluster.storage(3);
        s.create("seg-cas", SMALL_SEGMENTS);
        byte[] body = random(3 * SEGMENT, 8);
        s.put("seg-cas", "/f", body, null);
        assertEquals(2, s.put("seg-cas", "/f", 0, random(SEGMENT, 9), 1L).version());
        refused(ErrorCode.CONFLICT,
                () -> cluster.storage(4).put("seg-cas", "/f", 2, random(SEGMENT, 10), 1L));
        ObjectInfo now = cluster.storage(0).stat("seg-cas", "/f", null);
        assertEquals(2, now.version(), "the losing write made no version");
        assertArrayEquals(spliced(body, 0, random(SEGMENT, 9)), cluster.storage(0).get("seg-cas", "/f", null));
    }

    @Test
    void segmentPutsOfDifferentSegmentsRacingWithoutExpectedVersionBothLand() throws Exception {
        cluster.storage(0).create("seg-race", SMALL_SEGMENTS);
        byte[] body = random(2 * SEGMENT, 11);
        cluster.storage(0).put("seg-race", "/f", body, null);
        byte[] zero = random(SEGMENT, 12);
        byte[] one = random(SEGMENT, 13);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Future<ObjectInfo> a = pool.submit(() -> cluster.storage(1).put("seg-race", "/f", 0, zero, null));
            Future<ObjectInfo> b = pool.submit(() -> cluster.storage(2).put("seg-race", "/f", 1, one, null));
            assertNotEquals(a.get().version(), b.get().version());
        } finally {
            pool.shutdownNow();
        }
        byte[] both = spliced(spliced(body, 0, zero), 1, one);
        assertArrayEquals(both, cluster.storage(5).get("seg-race", "/f", null), "neither write was lost");
        // Each write is a version; a loser building on the other's copy can add one (see StorageService).
        assertTrue(cluster.storage(5).stat("seg-race", "/f", null).version() >= 3);
    }

    @Test
    void refusedSegmentPutsNameTheProblemAndStoreNothing() {
        StorageService s = cluster.storage(4);
        s.create("seg-refuse", SMALL_SEGMENTS);
        byte[] body = random(2 * SEGMENT + 10, 14);
        s.put("seg-refuse", "/f", body, null);
        s.mkdir("seg-refuse", "/d");
        long shardsBefore = storedShards();
        byte[] full = random(SEGMENT, 15);

        assertTrue(refused(ErrorCode.INVALID_PARAMS, () -> s.put("seg-refuse", "/d", 0, full, null))
                .getMessage().contains("directory"));
        assertTrue(refused(ErrorCode.NOT_FOUND, () -> s.put("seg-refuse", "/nope", 0, full, null))
                .getMessage().contains("object.put"));
        refused(ErrorCode.NOT_FOUND, () -> s.put("no-such-bucket", "/f", 0, full, null));
        refused(ErrorCode.INVALID_PARAMS, () -> s.put("seg-refuse", "/f", -1, full, null));
        assertTrue(refused(ErrorCode.INVALID_PARAMS, () -> s.put("seg-refuse", "/f", 4, full, null))
                .getMessage().contains("has 3 segments"));
        assertTrue(refused(ErrorCode.INVALID_PARAMS,
                () -> s.put("seg-refuse", "/f", 3, full, null)).getMessage().contains("write segment 2 instead"));
        assertTrue(refused(ErrorCode.INVALID_PARAMS,
                () -> s.put("seg-refuse", "/f", 1, random(SEGMENT - 1, 16), null)).getMessage()
                .contains("exactly " + SEGMENT));
        assertTrue(refused(ErrorCode.TOO_LARGE,
                () -> s.put("seg-refuse", "/f", 2, random(SEGMENT + 1, 17), null)).getMessage()
                .contains("segment size"));
        refused(ErrorCode.INVALID_PARAMS, () -> s.put("seg-refuse", "/f", 2, new byte[0], null));
        refused(ErrorCode.INVALID_PARAMS, () -> s.put("seg-refuse", "/f", 2, null, null));
        refused(ErrorCode.CONFLICT, () -> s.put("seg-refuse", "/f", 0, full, 7L));

        assertEquals(1, cluster.storage(0).stat("seg-refuse", "/f", null).version(), "no refused write made a version");
        assertEquals(shardsBefore, storedShards(), "no refused write stored a shard");

        // Over the inline limit: only a bucket with segments larger than the limit lets a segment get there.
        s.create("seg-huge", new BucketPolicy(2, 1, 32 << 20, true, true, false));
        s.put("seg-huge", "/f", new byte[1], null);
        assertTrue(refused(ErrorCode.TOO_LARGE,
                () -> s.put("seg-huge", "/f", 0, new byte[Limits.MAX_INLINE_BODY_BYTES + 1], null)).getMessage()
                .contains("inline limit"));
    }

    @Test
    void segmentGetOverTheInlineLimitIsRefusedWithTheRangeToStream() throws Exception {
        StorageService s = cluster.storage(5);
        s.create("seg-big", new BucketPolicy(2, 1, 32 << 20, true, true, false));
        int big = Limits.MAX_INLINE_BODY_BYTES + 1;
        s.put("seg-big", "/f", new java.io.ByteArrayInputStream(new byte[big]), big, null);
        assertTrue(refused(ErrorCode.TOO_LARGE, () -> s.get("seg-big", "/f", null, 0)).getMessage()
                .contains("read bytes 0-" + (big - 1)));
    }

    private static long storedShards() {
        long n = 0;
        for (int i = 0; i < cluster.size(); i++) {
            n += cluster.node(i).store.stats().shardCount();
        }
        return n;
    }
}
