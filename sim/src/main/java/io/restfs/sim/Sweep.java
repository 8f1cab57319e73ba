package io.restfs.sim;

import io.restfs.sim.report.Report;
import io.restfs.sim.report.SummaryText;
import io.restfs.sim.report.SweepReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs the simulation and writes its report: one size, or a sweep over sizes with charts against size. */
public final class Sweep {
    private Sweep() {
    }

    /**
     * Runs {@code options} and, when {@code out} is not null, writes its report there. {@code log} receives
     * progress lines as they happen; they also go to the report's run.log with the wall time.
     */
    public static SimResult runOne(SimOptions options, Path out, Consumer<String> log) {
        StringBuilder runLog = new StringBuilder();
        Consumer<String> both = line -> {
            runLog.append(line).append('\n');
            log.accept(line);
        };
        SimResult r = Simulation.run(options, both);
        if (out != null) {
            runLog.append(SummaryText.format(r));
            Report.write(r, out, runLog.toString());
        }
        return r;
    }

    /**
     * Runs every size in {@code sizes} with otherwise equal options; each run's report goes to
     * {@code out/n<size>}, and the sweep's CSV, charts (hops with a log2(n) line, time) and index page to
     * {@code out}.
     */
    public static List<SimResult> runSizes(SimOptions base, List<Integer> sizes, Path out, Consumer<String> log) {
        List<SimResult> results = new ArrayList<>();
        List<String> dirs = new ArrayList<>();
        for (int n : sizes) {
            String dir = "n" + n;
            dirs.add(dir);
            results.add(runOne(base.withNodes(n), out == null ? null : out.resolve(dir), log));
        }
        if (out != null && !results.isEmpty()) {
            SweepReport.write(results, dirs, out);
        }
        return results;
    }
}
