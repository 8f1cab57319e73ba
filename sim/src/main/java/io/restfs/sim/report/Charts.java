package io.restfs.sim.report;

import io.restfs.sim.SimResult;
import io.restfs.sim.metrics.Histogram;
import io.restfs.sim.metrics.Metrics;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts of a run and of a sweep, drawn with XChart. */
public final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 500;

    private Charts() {
    }

    static {
        // Charts render off-screen; a server without a display must not try to open one.
        System.setProperty("java.awt.headless", "true");
    }

    /** Writes the charts of one run into {@code dir}; returns their file names in display order. */
    static List<String> writeRunCharts(SimResult result, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        Metrics m = result.metrics();
        Metrics.Totals safety = m.totals(SimResult.SAFETY);
        List<Metrics.Interval> rows = m.intervals();
        double[] minutes = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            minutes[i] = rows.get(i).startMillis / 60_000.0;
        }

        if (safety != null && safety.lookups > 0) {
            Histogram h = safety.hops;
            int max = (int) Math.min(h.max(), 40);
            List<Integer> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            for (int i = 0; i <= max; i++) {
                x.add(i);
                y.add(100.0 * h.countOf(i) / h.count());
            }
            CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT)
                    .title("Lookup hops (" + result.options().nodes() + " nodes)")
                    .xAxisTitle("hops").yAxisTitle("% of lookups").build();
            c.getStyler().setLegendVisible(false);
            c.addSeries("hops", x, y);
            names.add(save(c, dir, "hops.png"));

            XYChart t = xy("Lookup time over virtual time", "minutes", "milliseconds");
            t.addSeries("median", minutes, series(rows, r -> r.lookups == 0 ? Double.NaN : r.timeMillis.percentile(50)));
            t.addSeries("p99", minutes, series(rows, r -> r.lookups == 0 ? Double.NaN : r.timeMillis.percentile(99)));
            names.add(save(t, dir, "lookup-time.png"));

            XYChart s = xy("Lookup success over virtual time", "minutes", "share of lookups");
            s.addSeries("true k closest", minutes, series(rows, r -> r.lookups == 0 ? Double.NaN : (double) r.found / r.lookups));
            s.addSeries("closest found", minutes, series(rows, r -> r.lookups == 0 ? Double.NaN : (double) r.closest / r.lookups));
            names.add(save(s, dir, "success.png"));
        }
        if (rows.stream().anyMatch(r -> r.gets > 0)) {
            XYChart a = xy("Record availability over virtual time", "minutes", "share of gets that succeeded");
            a.addSeries("availability", minutes, series(rows, r -> r.gets == 0 ? Double.NaN : (double) r.getsOk / r.gets));
            names.add(save(a, dir, "availability.png"));
        }
        XYChart n = xy("Membership over virtual time", "minutes", "nodes");
        n.addSeries("live nodes", minutes, series(rows, r -> r.liveNodes));
        if (rows.stream().anyMatch(r -> r.joins > 0 || r.departures > 0)) {
            n.addSeries("joins per interval", minutes, series(rows, r -> r.joins));
            n.addSeries("departures per interval", minutes, series(rows, r -> r.departures));
        }
        names.add(save(n, dir, "nodes.png"));

        XYChart msg = xy("Network traffic per interval", "minutes", "messages");
        msg.addSeries("messages", minutes, series(rows, r -> r.messages));
        names.add(save(msg, dir, "messages.png"));
        return names;
    }

    /**
     * Sweep charts: hops (median, p90, p99) against network size with a log2(n) reference line, and lookup
     * time (median, p99) against network size.
     */
    static List<String> writeSweepCharts(double[] sizes, double[][] hops, double[][] times, Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        XYChart h = xy("Lookup hops against network size", "nodes (log scale)", "hops");
        h.getStyler().setXAxisLogarithmic(true);
        h.addSeries("median", sizes, hops[0]);
        h.addSeries("p90", sizes, hops[1]);
        h.addSeries("p99", sizes, hops[2]);
        double[] ref = new double[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            ref[i] = Math.log(sizes[i]) / Math.log(2);
        }
        XYSeries r = h.addSeries("log2(n)", sizes, ref);
        r.setMarker(SeriesMarkers.NONE);
        names.add(save(h, dir, "sweep-hops.png"));

        XYChart t = xy("Lookup time against network size", "nodes (log scale)", "milliseconds");
        t.getStyler().setXAxisLogarithmic(true);
        t.addSeries("median", sizes, times[0]);
        t.addSeries("p99", sizes, times[1]);
        names.add(save(t, dir, "sweep-time.png"));
        return names;
    }

    private static XYChart xy(String title, String x, String y) {
        XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(x).yAxisTitle(y).build();
        c.getStyler().setMarkerSize(4);
        return c;
    }

    private static double[] series(List<Metrics.Interval> rows, java.util.function.ToDoubleFunction<Metrics.Interval> f) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            out[i] = f.applyAsDouble(rows.get(i));
        }
        return out;
    }

    private static String save(Chart<?, ?> chart, Path dir, String name) throws IOException {
        try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
        }
        return name;
    }
}
