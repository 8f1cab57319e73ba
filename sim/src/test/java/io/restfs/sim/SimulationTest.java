package io.restfs.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restfs.sim.churn.Churn;
import io.restfs.sim.metrics.Metrics;
import io.restfs.sim.net.LatencyModel;
import io.restfs.sim.net.Partition;
import io.restfs.sim.report.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs of the real DHT on the simulated network, kept small so the suite stays quick. */
class SimulationTest {
    private static final long MINUTE = 60_000L;

    @Test
    void sameSeedGivesByteIdenticalSummaryAndTimeSeriesWhateverTheThreads(@TempDir Path dir) throws Exception {
        // Everything on at once: churn with both kinds of leave, loss, a partition, lookups and records. The four
        // lanes run on two threads, then on one: the threads must not show in the result.
        SimOptions o = new SimOptions(150, 4 * MINUTE, Churn.parse("exp:10m,leave=0.5"),
                LatencyModel.defaultModel(), 0.02, List.of(Partition.parse("at=1m,for=1m,groups=2")),
                List.of("lookups:2/min", "records:items=40,gets=2/s"), 42, 20, 3, MINUTE, MINUTE)
                .withLanes(4, 2);
        SimResult a = Sweep.runOne(o, dir.resolve("a"), line -> { });
        SimResult b = Sweep.runOne(o.withLanes(4, 1), dir.resolve("b"), line -> { });
        for (String f : List.of(Report.SUMMARY, Report.TIMESERIES)) {
            assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(f)),
                    Files.readAllBytes(dir.resolve("b").resolve(f)), f + " differs between two runs of one seed");
        }
        // ... and the run really did something, so the equality means something.
        assertTrue(a.safety().lookups > 100, "lookups: " + a.safety().lookups);
        assertTrue(a.safety().departures > 5, "departures: " + a.safety().departures);
        assertTrue(a.safety().gets > 100, "gets: " + a.safety().gets);
        // Crashed nodes linger in tables until pinged, and lookups that meet them wait out their timeouts.
        assertTrue(a.safety().tableDead > 0 && a.safety().tableDead < a.safety().tableContacts,
                "departed contacts " + a.safety().tableDead + " of " + a.safety().tableContacts);
        assertTrue(a.safety().lookupTimeouts > 0, "lookup timeouts: " + a.safety().lookupTimeouts);
        assertTrue(Report.summaryJson(a).contains("\"nearest_k_departed_rate\""));
        assertTrue(Files.size(dir.resolve("a").resolve("hops.png")) > 1000);
        assertTrue(Files.readString(dir.resolve("a").resolve(Report.HTML)).contains("hops.png"));

        SimOptions other = new SimOptions(150, 4 * MINUTE, o.churn(), o.latency(), o.loss(), o.partitions(),
                o.workloads(), 43, 20, 3, MINUTE, MINUTE);
        SimResult c = Sweep.runOne(other, dir.resolve("c"), line -> { });
        assertTrue(!Report.summaryJson(a).equals(Report.summaryJson(c)), "another seed should give another run");
        assertEquals(Report.summaryJson(a), Report.summaryJson(b));
    }

    @Test
    void lookupsInFiveHundredNodesFindTheTrueKClosest() {
        // Uniform latency: with a heavy-tailed model the engine's soft timeouts drop slow live peers from
        // results (reported to the engine's owner); this test pins the routing itself.
        SimOptions o = new SimOptions(500, 3 * MINUTE, Churn.NONE, LatencyModel.parse("uniform:10ms..100ms"), 0,
                List.of(), List.of("lookups:1/min"), 7, 20, 3, MINUTE, MINUTE);
        SimResult r = Simulation.run(o, line -> { });
        Metrics.Totals s = r.safety();
        assertTrue(s.lookups > 1000, "lookups: " + s.lookups);
        assertEquals(s.lookups, s.found, "every lookup should return exactly the true 20 closest live nodes");
        // Without churn no table holds a departed node and no lookup query goes unanswered.
        assertTrue(s.tableContacts > 1000 && s.nearestContacts > 100, "sampled " + s.tableContacts);
        assertEquals(0, s.tableDead);
        assertEquals(0, s.lookupTimeouts);
        assertTrue(s.hops.percentile(50) <= 4, "median hops " + s.hops.percentile(50));
        assertTrue(r.violations().isEmpty(), r.violations().toString());
        assertTrue(r.converged());
    }

    @Test
    void lookupsAcrossAPartitionFailWhileItLastsAndSucceedAfterItHeals() {
        SimOptions o = new SimOptions(300, 6 * MINUTE, Churn.NONE, LatencyModel.parse("uniform:10ms..100ms"), 0,
                List.of(Partition.parse("at=1m,for=2m,groups=2")), List.of("lookups:1/min"), 3, 20, 3, 2 * MINUTE,
                MINUTE);
        SimResult r = Simulation.run(o, line -> { });
        List<Metrics.Interval> rows = r.metrics().intervals();
        // rows: minute 0 before, minutes 1-2 split, 3-5 healed (minute 3 still finishing split-era lookups)
        double before = rate(rows.get(0));
        double during = (rate(rows.get(1)) + rate(rows.get(2))) / 2;
        double after = (rate(rows.get(4)) + rate(rows.get(5))) / 2;
        assertTrue(before > 0.99, "before the split: " + before);
        assertTrue(during < 0.2, "with half the nodes unreachable the true k closest cannot be found: " + during);
        assertTrue(after > 0.99, "after healing: " + after);
        assertTrue(r.converged());
    }

    @Test
    void aNetworkSplitLongEnoughForEachSideToDropTheOtherStillHeals() {
        // Twenty minutes: each side finds the other silent, and every table ends up holding only its own side.
        SimOptions o = new SimOptions(300, 25 * MINUTE, Churn.NONE, LatencyModel.parse("uniform:10ms..100ms"), 0,
                List.of(Partition.parse("at=1m,for=20m,groups=2")), List.of("lookups:1/min"), 3, 20, 3, 2 * MINUTE,
                MINUTE);
        SimResult r = Simulation.run(o, line -> { });
        List<Metrics.Interval> rows = r.metrics().intervals();
        assertTrue(rate(rows.get(15)) < 0.2, "split: " + rate(rows.get(15)));
        // Healed at minute 21; lost contacts are pinged again one a minute, and one answer is a bridge.
        double after = (rate(rows.get(23)) + rate(rows.get(24))) / 2;
        assertTrue(after > 0.99, "after healing: " + after);
        assertTrue(r.converged());
    }

    private static double rate(Metrics.Interval row) {
        assertTrue(row.lookups > 50, "lookups in the minute at " + row.startMillis + ": " + row.lookups);
        return (double) row.found / row.lookups;
    }
}
