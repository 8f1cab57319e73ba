package io.restfs.sim.workload;

import io.restfs.sim.spec.SpecException;
import io.restfs.sim.spec.Specs;
import java.util.Locale;
import java.util.Map;

/** Parses {@code --workload} values into fresh workload instances (one per run). */
public final class Workloads {
    private Workloads() {
    }

    /**
     * {@code lookups:RATE} (lookups per live node, e.g. {@code lookups:1/min}) or
     * {@code records:items=N,gets=RATE[,size=BYTES]} (N immutable BEP 44 items, each put by a random
     * node that republishes it, and RATE gets in all, e.g. {@code records:items=1000,gets=10/s}).
     */
    public static Workload parse(String text) {
        String option = "--workload";
        int colon = text.indexOf(':');
        String kind = (colon < 0 ? text : text.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : text.substring(colon + 1).trim();
        switch (kind) {
            case "lookups": {
                double rate = rest.isEmpty() ? 1.0 / 60_000 : Specs.ratePerMilli(option, rest);
                if (!(rate > 0)) {
                    throw new SpecException(option, text, "the lookup rate must be positive");
                }
                return new LookupWorkload(rate, rest.isEmpty() ? "1/min" : rest);
            }
            case "records": {
                Map<String, String> p = Specs.params(option, text, rest);
                Specs.onlyKeys(option, text, p, "items", "gets", "size");
                int items = p.containsKey("items") ? wholeNumber(option, text, p.get("items"), 1, 10_000_000) : 1000;
                String gets = p.getOrDefault("gets", "10/s");
                double rate = Specs.ratePerMilli(option, gets);
                if (!(rate > 0)) {
                    throw new SpecException(option, text, "the get rate must be positive");
                }
                int size = p.containsKey("size") ? wholeNumber(option, text, p.get("size"), 1, RecordWorkload.MAX_VALUE_BYTES) : 64;
                return new RecordWorkload(items, rate, gets, size);
            }
            default:
                throw new SpecException(option, text, "unknown workload '" + kind + "' (lookups or records)");
        }
    }

    static int wholeNumber(String option, String text, String value, int min, int max) {
        double d = Specs.number(option, text, value);
        if (d != Math.rint(d) || d < min || d > max) {
            throw new SpecException(option, text, "'" + value + "' must be a whole number from " + min + " to " + max);
        }
        return (int) d;
    }
}
