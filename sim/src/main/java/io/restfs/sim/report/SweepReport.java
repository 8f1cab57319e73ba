package io.restfs.sim.report;

import io.restfs.sim.SimResult;
import io.restfs.sim.metrics.Metrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Writes a sweep over network sizes: {@code sweep.csv}, the hops and time charts, and an index page. */
public final class SweepReport {
    public static final String CSV = "sweep.csv";

    private SweepReport() {
    }

    public static String csv(List<SimResult> runs) {
        StringBuilder b = new StringBuilder("nodes,lookups,success_rate,closest_rate,hops_median,hops_p90,hops_p99,"
                + "hops_mean,time_median_ms,time_p90_ms,time_p99_ms,messages_per_lookup,bytes_per_lookup\n");
        for (SimResult r : runs) {
            Metrics.Totals s = r.safety();
            b.append(r.options().nodes()).append(',')
                    .append(s.lookups).append(',')
                    .append(Report.ratio(s.found, s.lookups)).append(',')
                    .append(Report.ratio(s.closest, s.lookups)).append(',')
                    .append(s.hops.percentile(50)).append(',')
                    .append(s.hops.percentile(90)).append(',')
                    .append(s.hops.percentile(99)).append(',')
                    .append(String.format(Locale.ROOT, "%.4f", s.hops.mean())).append(',')
                    .append(s.timeMillis.percentile(50)).append(',')
                    .append(s.timeMillis.percentile(90)).append(',')
                    .append(s.timeMillis.percentile(99)).append(',')
                    .append(Report.ratio(s.messages, s.lookups)).append(',')
                    .append(Report.ratio(s.bytes, s.lookups)).append('\n');
        }
        return b.toString();
    }

    /** Writes the sweep files into {@code dir}; each run's own report is expected in {@code runDirs}. */
    public static void write(List<SimResult> runs, List<String> runDirs, Path dir) {
        int n = runs.size();
        double[] sizes = new double[n];
        double[][] hops = new double[3][n];
        double[][] times = new double[2][n];
        for (int i = 0; i < n; i++) {
            Metrics.Totals s = runs.get(i).safety();
            sizes[i] = runs.get(i).options().nodes();
            hops[0][i] = s.hops.percentile(50);
            hops[1][i] = s.hops.percentile(90);
            hops[2][i] = s.hops.percentile(99);
            times[0][i] = s.timeMillis.percentile(50);
            times[1][i] = s.timeMillis.percentile(99);
        }
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(CSV), csv(runs), StandardCharsets.UTF_8);
            List<String> charts = new ArrayList<>(Charts.writeSweepCharts(sizes, hops, times, dir));
            Files.writeString(dir.resolve(Report.HTML), Html.sweepPage("restfs sim sweep, seed "
                    + runs.get(0).options().seed(), charts, runDirs, CSV), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the sweep report into " + dir + ": " + e.getMessage(), e);
        }
    }
}
