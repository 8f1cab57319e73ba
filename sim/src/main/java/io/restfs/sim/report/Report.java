package io.restfs.sim.report;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restfs.sim.SimResult;
import io.restfs.sim.metrics.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes one run's results into a folder: {@code summary.json}, {@code timeseries.csv}, PNG charts and an
 * {@code index.html} that shows them. The JSON and CSV carry no wall-clock figures, so two runs of the
 * same options are byte-identical; the wall time goes to {@code run.log} beside them.
 */
public final class Report {
    public static final String SUMMARY = "summary.json";
    public static final String TIMESERIES = "timeseries.csv";
    public static final String RUN_LOG = "run.log";
    public static final String HTML = "index.html";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true);

    private Report() {
    }

    /** The summary as pretty-printed JSON text (deterministic for given results). */
    public static String summaryJson(SimResult result) {
        try {
            return JSON.writeValueAsString(result.summary()) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the summary", e);
        }
    }

    public static ObjectNode newObject() {
        return JSON.createObjectNode();
    }

    /** The time series as CSV text, one row per interval. */
    public static String timeseriesCsv(Metrics metrics) {
        StringBuilder b = new StringBuilder();
        b.append("t_s,phase,live_nodes,joins,departures,lookups,success_rate,closest_rate,hops_median,hops_p90,"
                + "hops_p99,time_median_ms,time_p99_ms,messages,bytes,puts,puts_ok,gets,gets_ok,availability,"
                + "all_but_one_rate,exact_but_for_churn_rate,timeouts_per_lookup,table_dead_rate,nearest_dead_rate\n");
        for (Metrics.Interval r : metrics.intervals()) {
            b.append(r.startMillis / 1000).append(',')
                    .append(r.phase).append(',')
                    .append(r.liveNodes).append(',')
                    .append(r.joins).append(',')
                    .append(r.departures).append(',')
                    .append(r.lookups).append(',')
                    .append(ratio(r.found, r.lookups)).append(',')
                    .append(ratio(r.closest, r.lookups)).append(',')
                    .append(r.hops.percentile(50)).append(',')
                    .append(r.hops.percentile(90)).append(',')
                    .append(r.hops.percentile(99)).append(',')
                    .append(r.timeMillis.percentile(50)).append(',')
                    .append(r.timeMillis.percentile(99)).append(',')
                    .append(r.messages).append(',')
                    .append(r.bytes).append(',')
                    .append(r.puts).append(',')
                    .append(r.putsOk).append(',')
                    .append(r.gets).append(',')
                    .append(r.getsOk).append(',')
                    .append(ratio(r.getsOk, r.gets)).append(',')
                    .append(ratio(r.nearly, r.lookups)).append(',')
                    .append(ratio(r.foundButForChurn, r.lookups)).append(',')
                    .append(ratio(r.lookupTimeouts, r.lookups)).append(',')
                    .append(ratio(r.tableDead, r.tableContacts)).append(',')
                    .append(ratio(r.nearestDead, r.nearestContacts)).append('\n');
        }
        return b.toString();
    }

    /** A ratio printed with six decimals, or empty when there was nothing to divide (kept out of charts). */
    static String ratio(long num, long den) {
        return den == 0 ? "" : String.format(Locale.ROOT, "%.6f", (double) num / den);
    }

    /** Writes every file of one run into {@code dir} (created as needed). */
    public static void write(SimResult result, Path dir, String runLog) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(SUMMARY), summaryJson(result), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(TIMESERIES), timeseriesCsv(result.metrics()), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve(RUN_LOG), runLog, StandardCharsets.UTF_8);
            List<String> charts = Charts.writeRunCharts(result, dir);
            Files.writeString(dir.resolve(HTML), Html.runPage(result, charts), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
    }
}
