package io.restfs.node.cli.dht;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restfs.node.cli.CliRun;
import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code restfs bench dht} on a small cluster: checks the figures are consistent with each other and with the
 * membership, not how fast anything is (speed is the benchmark's own output).
 */
class BenchDhtCommandTest {
    @Test
    void smallClusterLookupsFindTheTrueClosestAndTheJsonAddsUp() throws Exception {
        CliRun run = CliRun.of("bench", "dht", "--nodes", "40", "--lookups", "60", "--k", "8", "--seed", "5", "--json");
        String text = run.out();
        assertEquals(0, run.exitCode(), text);
        String[] lines = text.strip().split("\n");
        JsonNode j = new ObjectMapper().readTree(lines[lines.length - 1]);

        assertEquals(40, j.get("nodes").asInt());
        int lookups = 0;
        for (JsonNode n : j.get("hops_histogram")) {
            lookups += n.asInt();
        }
        assertEquals(60, lookups, "every lookup is counted once in the histogram: " + j);
        assertEquals(0, j.get("hops_histogram").get(0).asInt(), "a lookup always asks at least its seeds");
        assertTrue(j.get("hops_median").asDouble() >= 1 && j.get("hops_median").asDouble() <= j.get("hops_p90").asDouble());
        assertTrue(j.get("hops_p90").asDouble() <= j.get("hops_max").asDouble());
        // On a quiet loopback network with no failures, every lookup must find the k closest of the membership.
        assertEquals(1.0, j.get("exact_share").asDouble(), j.toString());
        assertEquals(8.0, j.get("mean_true_found").asDouble(), j.toString());
        assertTrue(j.get("messages_per_lookup").asDouble() >= j.get("queries_per_lookup").asDouble());
        assertTrue(j.get("queries_per_lookup").asDouble() >= 8, "a lookup asks at least the k it returns: " + j);
        assertTrue(j.get("lookup_ms_median").asDouble() <= j.get("lookup_ms_p99").asDouble());
        assertTrue(text.contains("found all true k closest"), text);
    }

    @Test
    void tooFewNodesForKIsAUsageError() {
        CliRun run = CliRun.of("bench", "dht", "--nodes", "5");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("need at least k + 2 = 22 nodes"), run.err());
    }
}
