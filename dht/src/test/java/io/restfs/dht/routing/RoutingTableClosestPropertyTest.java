package io.restfs.dht.routing;

import io.restfs.dht.env.VirtualTime;
import io.restfs.dht.id.NodeId;
import io.restfs.dht.krpc.NodeInfo;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The bucket-ordered {@link RoutingTable#closest} against sorting the whole table by distance. */
class RoutingTableClosestPropertyTest {
    @Property(tries = 300)
    void closestEqualsTheBruteForceSortOfTheMembersNotBad(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int k,
                                                          @ForAll @IntRange(min = 0, max = 400) int peers,
                                                          @ForAll @IntRange(min = 0, max = 45) int n) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        VirtualTime time = new VirtualTime();
        NodeId self = NodeId.random(random);
        RoutingTable table = new RoutingTable(self, k, time);
        List<NodeId> seen = new ArrayList<>();
        for (int i = 0; i < peers; i++) {
            // Half the peers near our own id, so the table splits deep and targets land in every kind of bucket; some
            // share their first 64 bits with an earlier peer, which the ordering's 64-bit keys cannot tell apart.
            NodeId id = random.nextInt(8) == 0 && !seen.isEmpty() ? twin(seen.get(random.nextInt(seen.size())), random)
                    : random.nextBoolean() ? NodeId.random(random) : near(self, random.nextInt(24), random);
            seen.add(id);
            table.observe(id, address(i), random.nextInt(4) != 0);
            if (random.nextInt(10) == 0) {
                table.failed(seen.get(random.nextInt(seen.size())));
            }
            time.advance(random.nextInt(60_000));
        }
        for (int t = 0; t < 8; t++) {
            NodeId target = switch (t % 4) {
                case 0 -> NodeId.random(random);
                case 1 -> self;
                case 2 -> near(self, random.nextInt(NodeId.BITS), random);
                default -> seen.isEmpty() ? NodeId.random(random) : seen.get(random.nextInt(seen.size()));
            };
            List<Contact> expected = table.contacts().stream()
                    .filter(c -> c.liveness() != Liveness.BAD)
                    .sorted(Comparator.comparing(Contact::id, target::compareDistance))
                    .limit(n).toList();
            assertEquals(expected, table.closest(target, n), "target " + target + ", n " + n);
            assertEquals(expected.stream().map(c -> new NodeInfo(c.id(), c.address())).toList(),
                    table.closestNodes(target, n), "closestNodes: target " + target + ", n " + n);
        }
    }

    /** An id equal to {@code base} in its first 8 bytes and random after them. */
    private static NodeId twin(NodeId base, SplittableRandom random) {
        byte[] out = NodeId.random(random).toBytes();
        System.arraycopy(base.toBytes(), 0, out, 0, Long.BYTES);
        return NodeId.of(out);
    }

    /** A random id sharing exactly {@code bits} leading bits with {@code base}. */
    private static NodeId near(NodeId base, int bits, SplittableRandom random) {
        byte[] out = NodeId.random(random).toBytes();
        byte[] own = base.toBytes();
        for (int bit = 0; bit <= bits && bit < NodeId.BITS; bit++) {
            int mask = 0x80 >>> (bit & 7);
            boolean v = (own[bit >>> 3] & mask) != 0;
            if (bit == bits) {
                v = !v;
            }
            out[bit >>> 3] = (byte) (v ? out[bit >>> 3] | mask : out[bit >>> 3] & ~mask);
        }
        return NodeId.of(out);
    }

    private static InetSocketAddress address(int i) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByAddress(new byte[] {10, (byte) (i >> 16), (byte) (i >> 8),
                (byte) i}), 6881);
    }
}
