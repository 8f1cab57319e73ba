package io.restfs.sim;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Derives every random stream of a run from its one seed: a stream is named (and numbered), so adding a
 * stream or a node never shifts the numbers another stream sees.
 */
public final class Seeds {
    private final long root;

    public Seeds(long root) {
        this.root = root;
    }

    public long root() {
        return root;
    }

    /** The seed of stream {@code name}, number {@code index}. */
    public long derive(String name, long index) {
        long h = mix(root ^ 0x5DEECE66DL);
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = mix(h ^ (b & 0xff));
        }
        return mix(h ^ mix(index + 0x632BE59BD9B4E019L));
    }

    /** A fresh generator for stream {@code name}, number {@code index}. */
    public SplittableRandom random(String name, long index) {
        return new SplittableRandom(derive(name, index));
    }

    public SplittableRandom random(String name) {
        return random(name, 0);
    }

    /** SplitMix64's finalizer. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
