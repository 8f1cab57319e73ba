package io.restfs.node.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

/**
 * CPU time of a JVM's JIT compiler threads (HotSpot names them "C1 CompilerThreadN" and "C2 CompilerThreadN"), read
 * from Linux's {@code /proc/PID/task/TID/stat}. A local cluster's node JVMs are young: a large share of the CPU a
 * transfer costs there is compilation that a node up for days did long ago, and bench cluster reports it apart.
 */
final class CompilerCpu {
    /** Kernel thread names are cut to 15 characters: "C2 CompilerThre". */
    private static final String COMPILER_PREFIX = "CompilerThre";
    /** utime and stime are fields 14 and 15 of stat, counted from 1 (proc(5)); 11 and 12 after the name's ')'. */
    private static final int UTIME_AFTER_NAME = 11;

    private final Path proc;
    private final double ticksPerSecond;

    /**
     * @param proc           the proc file system's root, {@code /proc}
     * @param ticksPerSecond the kernel's clock ticks per second (USER_HZ), 100 on Linux
     */
    CompilerCpu(Path proc, double ticksPerSecond) {
        this.proc = proc;
        this.ticksPerSecond = ticksPerSecond;
    }

    /** Reads the real {@code /proc}, with USER_HZ 100 (fixed by the kernel's ABI on every Linux architecture). */
    static CompilerCpu system() {
        return new CompilerCpu(Path.of("/proc"), 100);
    }

    /** Seconds of CPU the compiler threads of process {@code pid} used so far; empty where /proc cannot tell. */
    OptionalDouble seconds(long pid) {
        Path tasks = proc.resolve(Long.toString(pid)).resolve("task");
        if (!Files.isDirectory(tasks)) {
            return OptionalDouble.empty();
        }
        long ticks = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tasks)) {
            for (Path t : ds) {
                String stat;
                try {
                    stat = Files.readString(t.resolve("stat"));
                } catch (IOException e) {
                    continue; // the thread ended while we listed them
                }
                ticks += compilerTicks(stat);
            }
        } catch (IOException e) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(ticks / ticksPerSecond);
    }

    /** utime + stime of one thread's stat line if it is a compiler thread, else 0. */
    static long compilerTicks(String stat) {
        int open = stat.indexOf('(');
        int close = stat.lastIndexOf(')');
        if (open < 0 || close < open) {
            throw new IllegalArgumentException("not a /proc stat line: " + stat);
        }
        if (!stat.substring(open + 1, close).contains(COMPILER_PREFIX)) {
            return 0;
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        if (f.length <= UTIME_AFTER_NAME + 1) {
            throw new IllegalArgumentException("stat line has too few fields: " + stat);
        }
        return Long.parseLong(f[UTIME_AFTER_NAME]) + Long.parseLong(f[UTIME_AFTER_NAME + 1]);
    }
}
