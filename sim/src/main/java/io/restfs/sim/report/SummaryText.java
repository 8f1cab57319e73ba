package io.restfs.sim.report;

import io.restfs.sim.SimResult;
import io.restfs.sim.metrics.Metrics;
import io.restfs.sim.spec.Specs;
import java.util.Locale;

/** The human-readable summary a run prints. */
public final class SummaryText {
    private SummaryText() {
    }

    public static String format(SimResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "restfs sim: %d nodes, %s virtual, seed %d: %.1f s wall, %,d events%n",
                r.options().nodes(), Specs.formatDuration(r.options().durationMillis()), r.options().seed(),
                r.wallMillis() / 1000.0, r.eventsRun()));
        Metrics.Totals s = r.safety();
        if (s != null) {
            phase(b, "", s);
        }
        Metrics.Totals live = r.metrics().totals(SimResult.LIVENESS);
        if (live != null) {
            b.append(String.format(Locale.ROOT, "liveness: %s (faults off: %d lookups, success %s; %d gets, availability %s)%n",
                    r.converged() ? "converged" : "DID NOT CONVERGE", live.lookups, pct(live.found, live.lookups),
                    live.gets, pct(live.getsOk, live.gets)));
        }
        var inv = r.summary().path("invariants");
        b.append(String.format(Locale.ROOT, "invariants: %d checks, %d violations%n",
                inv.path("checks").asLong(), inv.path("violations").asLong()));
        for (String v : r.violations()) {
            b.append("  violation: ").append(v).append('\n');
        }
        b.append("replay: ").append(r.options().replayCommand()).append('\n');
        return b.toString();
    }

    private static void phase(StringBuilder b, String prefix, Metrics.Totals s) {
        if (s.lookups > 0) {
            b.append(String.format(Locale.ROOT, "%slookups: %,d, success %s (true k closest), closest found %s, failed %d%n",
                    prefix, s.lookups, pct(s.found, s.lookups), pct(s.closest, s.lookups), s.failed));
            b.append(String.format(Locale.ROOT, "%s  all but one of the true k closest %s; exact but for nodes that joined"
                    + " or left during the lookup %s%n", prefix, pct(s.nearly, s.lookups), pct(s.foundButForChurn, s.lookups)));
            b.append(String.format(Locale.ROOT, "%shops: median %d, p90 %d, p99 %d (mean %.2f)%n", prefix,
                    s.hops.percentile(50), s.hops.percentile(90), s.hops.percentile(99), s.hops.mean()));
            b.append(String.format(Locale.ROOT, "%slookup time: median %d ms, p90 %d ms, p99 %d ms%n", prefix,
                    s.timeMillis.percentile(50), s.timeMillis.percentile(90), s.timeMillis.percentile(99)));
            b.append(String.format(Locale.ROOT,
                    "%sper lookup: %.1f queries of its own, %.2f timed out; "
                            + "all traffic / lookups: %.1f messages, %.0f bytes%n",
                    prefix, (double) s.queries / s.lookups, (double) s.lookupTimeouts / s.lookups,
                    (double) s.messages / s.lookups, (double) s.bytes / s.lookups));
        }
        if (s.tableContacts > 0) {
            b.append(String.format(Locale.ROOT, "%srouting tables: %s of contacts handed out are departed nodes"
                    + " (%s of each node's k closest)%n", prefix, pct(s.tableDead, s.tableContacts),
                    pct(s.nearestDead, s.nearestContacts)));
        }
        if (s.gets > 0 || s.puts > 0) {
            b.append(String.format(Locale.ROOT, "%srecords: %,d puts (%s ok), %,d gets, availability %s%n", prefix,
                    s.puts, pct(s.putsOk, s.puts), s.gets, pct(s.getsOk, s.gets)));
        }
        b.append(String.format(Locale.ROOT, "%snetwork: %,d messages, %,d bytes, %d joins, %d departures%n", prefix,
                s.messages, s.bytes, s.joins, s.departures));
    }

    static String pct(long num, long den) {
        return den == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f%%", 100.0 * num / den);
    }
}
