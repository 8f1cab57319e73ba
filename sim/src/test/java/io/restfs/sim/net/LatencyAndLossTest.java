package io.restfs.sim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restfs.sim.event.Lanes;
import io.restfs.sim.spec.SpecException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyAndLossTest {
    private static final int SAMPLES = 200_000;

    private static long[] sample(LatencyModel m, int from, int to) {
        SplittableRandom r = new SplittableRandom(42);
        long[] out = new long[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            out[i] = m.sampleMillis(from, to, r);
        }
        Arrays.sort(out);
        return out;
    }

    @Test
    void logNormalHasTheConfiguredMedianAndSpread() {
        LatencyModel m = LatencyModel.parse("lognormal:median=50ms,sigma=0.5");
        long[] s = sample(m, 0, 0);
        assertEquals(50, s[SAMPLES / 2], 1);
        // ln(X) is normal with sd sigma: the 84th percentile sits one sigma above the median
        double p84 = s[(int) (SAMPLES * 0.8413)];
        assertEquals(0.5, Math.log(p84 / 50.0), 0.02);
        // and the 99th percentile at 2.326 sigma: about 3.2 times the median
        assertEquals(50 * Math.exp(0.5 * 2.326), s[(int) (SAMPLES * 0.99)], 4);
    }

    @Test
    void uniformStaysInItsRangeWithTheMidpointAsMean() {
        long[] s = sample(LatencyModel.parse("uniform:10ms..100ms"), 0, 0);
        assertEquals(10, s[0]);
        assertEquals(100, s[SAMPLES - 1]);
        double mean = Arrays.stream(s).average().orElseThrow();
        assertEquals(55, mean, 0.5);
    }

    @Test
    void constantIsConstant() {
        long[] s = sample(LatencyModel.parse("constant:20ms"), 0, 0);
        assertEquals(20, s[0]);
        assertEquals(20, s[SAMPLES - 1]);
    }

    @Test
    void regionsFileGivesEachPairItsMedianAndNodesTheirWeights(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("world.txt");
        Files.writeString(f, String.join("\n",
                "# two regions",
                "region eu 3",
                "region us 1",
                "sigma 0.1",
                "latency eu eu 10ms",
                "latency us us 20ms",
                "latency eu us 80ms",
                ""));
        LatencyModel m = LatencyModel.parse("regions:" + f);
        assertEquals(2, m.regions());
        assertEquals(0.75, m.regionWeight(0), 1e-9);
        assertEquals(10, sample(m, 0, 0)[SAMPLES / 2], 1);
        assertEquals(20, sample(m, 1, 1)[SAMPLES / 2], 1);
        assertEquals(80, sample(m, 0, 1)[SAMPLES / 2], 1);
        assertEquals(80, sample(m, 1, 0)[SAMPLES / 2], 1);
    }

    @Test
    void regionsFileWithAMissingPairIsRefusedNamingThePair(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.txt");
        Files.writeString(f, "region a 1\nregion b 1\nlatency a a 5ms\nlatency b b 5ms\n");
        SpecException e = assertThrows(SpecException.class, () -> LatencyModel.parse("regions:" + f));
        assertTrue(e.getMessage().contains("'a' and 'b'"), e.getMessage());
    }

    @Test
    void everyModelPrintsTheSpecThatRecreatesIt() {
        for (String spec : List.of("constant:20ms", "uniform:10ms..100ms", "lognormal:median=50ms,sigma=0.5",
                "lognormal:median=1s,sigma=1.25")) {
            LatencyModel m = LatencyModel.parse(spec);
            assertEquals(m, LatencyModel.parse(m.spec()), spec);
        }
    }

    @Test
    void badLatencySpecsAreRefusedWithTheOptionNamed() {
        for (String bad : List.of("gauss:1", "uniform:100ms..10ms", "lognormal:median=0ms", "constant:",
                "lognormal:median=5x", "uniform:5")) {
            SpecException e = assertThrows(SpecException.class, () -> LatencyModel.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--latency"), e.getMessage());
        }
    }

    @Test
    void networkLosesTheConfiguredShareAndDelaysTheRestByTheModel() {
        // Two lanes on two threads: a and b sit in different lanes, so every packet crosses through an outbox.
        try (Lanes q = new Lanes(2, 2)) {
            lossAndDelay(q);
        }
    }

    private static void lossAndDelay(Lanes q) {
        SimNetwork net = new SimNetwork(q, lane -> new SplittableRandom(3 + lane), new LatencyModel.Uniform(10, 30),
                0.1, List.of(), 0, SimNetwork.Carriage.PACKETS);
        SimNetwork.SimTransport a = net.attach(0);
        SimNetwork.SimTransport b = net.attach(0);
        long[] received = {0};
        long[] delaySum = {0};
        long[] sentAt = new long[1];
        b.start((from, packet) -> {
            assertEquals(a.localAddress(), from);
            received[0]++;
            delaySum[0] += q.nowMillis() - sentAt[0];
        });
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            sentAt[0] = q.nowMillis();
            a.send(b.localAddress(), new byte[] {1, 2, 3});
            q.runUntil(q.nowMillis() + 100); // one packet in flight at a time, so its delay is measurable
        }
        double delivered = received[0] / (double) n;
        assertEquals(0.9, delivered, 0.005);
        assertEquals(20.0, delaySum[0] / (double) received[0], 0.2);
        assertEquals(n, net.sent());
        assertEquals(n - received[0], net.lost());
    }

    @Test
    void addressesMapBackToTheirSlots() {
        for (int slot : new int[] {0, 1, 255, 256, 65_535, 1_000_000, SimNetwork.MAX_SLOTS - 1}) {
            assertEquals(slot, SimNetwork.slotOf(SimNetwork.addressOf(slot)));
        }
    }

    @Test
    void packetsToADownNodeAreDropped() {
        Lanes q = new Lanes(1, 1);
        SimNetwork net = new SimNetwork(q, lane -> new SplittableRandom(3), new LatencyModel.Constant(5), 0, List.of(),
                0, SimNetwork.Carriage.PACKETS);
        SimNetwork.SimTransport a = net.attach(0);
        SimNetwork.SimTransport b = net.attach(0);
        int[] got = {0};
        b.start((from, p) -> got[0]++);
        a.send(b.localAddress(), new byte[1]);
        q.runUntil(2);
        net.down(b.slot()); // goes down while the packet is in flight
        q.runUntil(20);
        a.send(b.localAddress(), new byte[1]);
        q.runUntil(40);
        assertEquals(0, got[0]);
        assertEquals(2, net.toDead());
    }
}
