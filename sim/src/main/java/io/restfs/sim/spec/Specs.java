package io.restfs.sim.spec;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Parsing of the small values the simulation options are made of: durations ({@code 1h30m}, {@code 50ms}),
 * rates ({@code 1/min}) and {@code key=value,...} parameter lists. Everything rejects what it cannot read
 * with a {@link SpecException} naming the option.
 */
public final class Specs {
    private Specs() {
    }

    /** Milliseconds in a duration such as {@code 1h}, {@code 10m}, {@code 30s}, {@code 50ms}, {@code 1h30m}, {@code 2d}. */
    public static long durationMillis(String option, String text) {
        String s = text.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty()) {
            throw new SpecException(option, text, "empty duration");
        }
        double total = 0;
        int i = 0;
        boolean any = false;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
                i++;
            }
            if (start == i) {
                throw new SpecException(option, text, "expected a number at position " + start
                        + " (write durations like 50ms, 30s, 10m, 1h, 2d)");
            }
            double value;
            try {
                value = Double.parseDouble(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new SpecException(option, text, "bad number '" + s.substring(start, i) + "'");
            }
            int unitStart = i;
            while (i < s.length() && Character.isLetter(s.charAt(i))) {
                i++;
            }
            String unit = s.substring(unitStart, i);
            long scale = switch (unit) {
                case "ms" -> 1L;
                case "s" -> 1_000L;
                case "m", "min" -> 60_000L;
                case "h" -> 3_600_000L;
                case "d" -> 86_400_000L;
                case "" -> throw new SpecException(option, text, "a unit is required (ms, s, m, h or d)");
                default -> throw new SpecException(option, text, "unknown unit '" + unit + "' (ms, s, m, h or d)");
            };
            total += value * scale;
            any = true;
        }
        if (!any || total < 0 || total > Long.MAX_VALUE / 4) {
            throw new SpecException(option, text, "duration out of range");
        }
        return Math.round(total);
    }

    /** Events per millisecond in a rate such as {@code 1/min}, {@code 2/s}, {@code 0.5/h} or {@code 1/10m}. */
    public static double ratePerMilli(String option, String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw new SpecException(option, text, "a rate is COUNT/PERIOD, e.g. 1/min or 5/h");
        }
        double count = number(option, text, s.substring(0, slash));
        String per = s.substring(slash + 1).trim();
        if (!per.isEmpty() && Character.isLetter(per.charAt(0))) {
            per = "1" + per;
        }
        long period = durationMillis(option, per);
        if (period <= 0 || count < 0) {
            throw new SpecException(option, text, "rate must be a non-negative count over a positive period");
        }
        return count / period;
    }

    public static double number(String option, String text, String value) {
        try {
            double d = Double.parseDouble(value.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new SpecException(option, text, "'" + value + "' is not a number");
        }
    }

    public static double probability(String option, String text, String value) {
        double p = number(option, text, value);
        if (p < 0 || p > 1) {
            throw new SpecException(option, text, "probability must be between 0 and 1, got " + value);
        }
        return p;
    }

    /** Reads {@code a=1,b=2} into an ordered map; a bare item without '=' is stored under the empty key. */
    public static Map<String, String> params(String option, String text, String list) {
        Map<String, String> out = new LinkedHashMap<>();
        if (list.isBlank()) {
            return out;
        }
        for (String part : list.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            String key = eq < 0 ? "" : p.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? p : p.substring(eq + 1).trim();
            if (out.put(key, value) != null) {
                throw new SpecException(option, text, key.isEmpty()
                        ? "more than one positional value" : "parameter '" + key + "' given twice");
            }
        }
        return out;
    }

    /** Fails when {@code params} holds a key outside {@code allowed}. */
    public static void onlyKeys(String option, String text, Map<String, String> params, String... allowed) {
        outer:
        for (String key : params.keySet()) {
            for (String a : allowed) {
                if (a.equals(key)) {
                    continue outer;
                }
            }
            throw new SpecException(option, text, key.isEmpty() ? "unexpected positional value"
                    : "unknown parameter '" + key + "' (allowed: " + String.join(", ", allowed) + ")");
        }
    }

    /** Formats milliseconds the way the options read them, for logs and the replay command. */
    public static String formatDuration(long millis) {
        if (millis == 0) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long rest = millis;
        long[] scales = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms"};
        for (int i = 0; i < scales.length; i++) {
            long n = rest / scales[i];
            if (n > 0) {
                b.append(n).append(units[i]);
                rest -= n * scales[i];
            }
        }
        return b.toString();
    }
}
