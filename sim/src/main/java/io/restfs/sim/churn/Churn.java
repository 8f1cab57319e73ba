package io.restfs.sim.churn;

import io.restfs.sim.spec.SpecException;
import io.restfs.sim.spec.Specs;
import java.util.Locale;
import java.util.Map;

/**
 * Churn: every node's session ends after a drawn length; it then crashes (vanishes silently) or leaves
 * gracefully (closes its DHT node, which stops its timers and answers nothing more), and a new node with a
 * fresh id arrives after {@code downtimeMillis} to take its place, so the population stays near its size.
 *
 * @param sessions      session length distribution, or null for no churn
 * @param crashShare    share of departures that are crashes (the rest are graceful)
 * @param downtimeMillis delay between a departure and the arrival of its replacement
 */
public record Churn(SessionLength sessions, double crashShare, long downtimeMillis) {
    public static final Churn NONE = new Churn(null, 1.0, 0);

    public boolean enabled() {
        return sessions != null;
    }

    public String spec() {
        if (sessions == null) {
            return "none";
        }
        String leave = crashShare == 1.0 ? "crash" : crashShare == 0.0 ? "graceful" : Double.toString(crashShare);
        return sessions.spec() + ",leave=" + leave + ",downtime=" + Specs.formatDuration(downtimeMillis);
    }

    /**
     * Parses {@code none}, {@code exp:1h}, {@code exp:median=1h}, {@code weibull:shape=0.5,median=1h}, each
     * optionally with {@code leave=crash|graceful|SHARE_OF_CRASHES} and {@code downtime=DURATION}.
     */
    public static Churn parse(String text) {
        String option = "--churn";
        String t = text.trim();
        if (t.equalsIgnoreCase("none") || t.isEmpty()) {
            return NONE;
        }
        int colon = t.indexOf(':');
        if (colon < 0) {
            throw new SpecException(option, text, "expected none, exp:MEDIAN or weibull:shape=S,median=M");
        }
        String kind = t.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        Map<String, String> p = Specs.params(option, text, t.substring(colon + 1));
        if (p.containsKey("")) {
            if (p.containsKey("median")) {
                throw new SpecException(option, text, "median given twice");
            }
            p.put("median", p.remove(""));
        }
        SessionLength sessions;
        switch (kind) {
            case "exp", "exponential" -> {
                Specs.onlyKeys(option, text, p, "median", "mean", "leave", "downtime");
                long median;
                if (p.containsKey("mean")) {
                    if (p.containsKey("median")) {
                        throw new SpecException(option, text, "give median or mean, not both");
                    }
                    median = Math.round(Specs.durationMillis(option, p.get("mean")) * Math.log(2));
                } else if (p.containsKey("median")) {
                    median = Specs.durationMillis(option, p.get("median"));
                } else {
                    throw new SpecException(option, text, "exp needs a median, e.g. exp:1h");
                }
                if (median <= 0) {
                    throw new SpecException(option, text, "median must be positive");
                }
                sessions = new SessionLength.Exponential(median);
            }
            case "weibull" -> {
                Specs.onlyKeys(option, text, p, "shape", "median", "leave", "downtime");
                if (!p.containsKey("shape") || !p.containsKey("median")) {
                    throw new SpecException(option, text, "weibull needs shape and median, e.g. weibull:shape=0.5,median=1h");
                }
                double shape = Specs.number(option, text, p.get("shape"));
                long median = Specs.durationMillis(option, p.get("median"));
                if (!(shape > 0) || median <= 0) {
                    throw new SpecException(option, text, "shape and median must be positive");
                }
                sessions = new SessionLength.Weibull(shape, median);
            }
            default -> throw new SpecException(option, text, "unknown churn model '" + kind + "' (none, exp or weibull)");
        }
        double crash = 1.0;
        if (p.containsKey("leave")) {
            String leave = p.get("leave").toLowerCase(Locale.ROOT);
            crash = switch (leave) {
                case "crash" -> 1.0;
                case "graceful" -> 0.0;
                default -> Specs.probability(option, text, leave);
            };
        }
        long downtime = p.containsKey("downtime") ? Specs.durationMillis(option, p.get("downtime")) : 0;
        return new Churn(sessions, crash, downtime);
    }
}
