package io.restfs.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restfs.sim.churn.Churn;
import io.restfs.sim.net.LatencyModel;
import io.restfs.sim.net.Partition;
import io.restfs.sim.net.SimNetwork;
import io.restfs.sim.report.Report;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The simulator hands KRPC message records between nodes instead of encoded datagrams, to spare the codec; this
 * proves the shortcut changes nothing: the same run over real datagrams (every message encoded, then decoded by
 * the receiver's codec) gives the same summary, byte counts included.
 */
class CarriageTest {
    private static final long MINUTE = 60_000L;

    @Test
    void messageRecordsAndEncodedDatagramsGiveTheSameRun() {
        // Churn with both kinds of leave, loss, a partition, lookups and BEP 44 puts and gets: every message kind.
        SimOptions o = new SimOptions(120, 3 * MINUTE, Churn.parse("exp:10m,leave=0.5"), LatencyModel.defaultModel(),
                0.02, List.of(Partition.parse("at=1m,for=1m,groups=2")),
                List.of("lookups:2/min", "records:items=30,gets=2/s"), 5, 20, 3, MINUTE, MINUTE);
        SimResult records = Simulation.run(o, line -> { }, SimNetwork.Carriage.MESSAGES);
        SimResult packets = Simulation.run(o, line -> { }, SimNetwork.Carriage.PACKETS);
        assertEquals(Report.summaryJson(packets), Report.summaryJson(records));
        assertTrue(records.safety().lookups > 100 && records.safety().gets > 100 && records.safety().departures > 2,
                "the run should exercise lookups, gets and churn");
    }
}
