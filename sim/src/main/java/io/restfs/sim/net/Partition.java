package io.restfs.sim.net;

import io.restfs.sim.spec.SpecException;
import io.restfs.sim.spec.Specs;
import java.util.Map;

/**
 * A network split: from {@code startMillis} for {@code lengthMillis}, nodes fall into {@code groups} groups
 * and messages between different groups are dropped; then the split heals. A node's group is a pure
 * function of the run's network seed and the node's slot, so replaying a seed splits the same way.
 */
public record Partition(long startMillis, long lengthMillis, int groups) {
    public Partition {
        if (startMillis < 0 || lengthMillis <= 0 || groups < 2) {
            throw new IllegalArgumentException("partition needs at >= 0, for > 0 and groups >= 2");
        }
    }

    public boolean activeAt(long nowMillis) {
        return nowMillis >= startMillis && nowMillis < startMillis + lengthMillis;
    }

    public long endMillis() {
        return startMillis + lengthMillis;
    }

    /** Group of node slot {@code slot} during this partition, for the run's network seed {@code seed}. */
    public int groupOf(int slot, long seed) {
        return (int) Long.remainderUnsigned(mix(seed + slot * 0x9E3779B97F4A7C15L), groups);
    }

    /** Whether a message from slot {@code a} to slot {@code b} crosses the split at {@code nowMillis}. */
    public boolean separates(int a, int b, long nowMillis, long seed) {
        return activeAt(nowMillis) && groupOf(a, seed) != groupOf(b, seed);
    }

    public String spec() {
        return "at=" + Specs.formatDuration(startMillis) + ",for=" + Specs.formatDuration(lengthMillis)
                + ",groups=" + groups;
    }

    /** Parses {@code at=20m,for=10m,groups=2}. */
    public static Partition parse(String text) {
        String option = "--partition";
        Map<String, String> p = Specs.params(option, text, text);
        Specs.onlyKeys(option, text, p, "at", "for", "groups");
        if (!p.containsKey("at") || !p.containsKey("for")) {
            throw new SpecException(option, text, "needs at=TIME and for=DURATION, e.g. at=20m,for=10m,groups=2");
        }
        long at = Specs.durationMillis(option, p.get("at"));
        long length = Specs.durationMillis(option, p.get("for"));
        int groups = 2;
        if (p.containsKey("groups")) {
            double g = Specs.number(option, text, p.get("groups"));
            if (g != Math.rint(g) || g < 2 || g > 1000) {
                throw new SpecException(option, text, "groups must be a whole number from 2 to 1000");
            }
            groups = (int) g;
        }
        if (length <= 0) {
            throw new SpecException(option, text, "for must be positive");
        }
        return new Partition(at, length, groups);
    }

    /** SplitMix64's finalizer: spreads consecutive inputs over all 64 bits. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
