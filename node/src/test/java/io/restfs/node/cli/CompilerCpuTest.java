package io.restfs.node.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompilerCpuTest {
    /** A stat line as Linux writes it (proc(5)): utime 250 and stime 50 ticks; the name holds a space and a ')'. */
    private static String stat(int tid, String name, long utime, long stime) {
        return tid + " (" + name + ") S 1 1 1 0 -1 4194368 100 0 0 0 " + utime + " " + stime
                + " 0 0 20 0 30 0 1000 2000000 500 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
    }

    private static void thread(Path proc, long pid, int tid, String line) throws IOException {
        Path dir = Files.createDirectories(proc.resolve(pid + "/task/" + tid));
        Files.writeString(dir.resolve("stat"), line);
    }

    @Test
    void sumsOnlyTheCompilerThreads(@TempDir Path proc) throws IOException {
        thread(proc, 42, 42, stat(42, "java", 900, 100));
        thread(proc, 42, 43, stat(43, "C2 CompilerThre", 250, 50));
        thread(proc, 42, 44, stat(44, "C1 CompilerThre", 40, 10));
        thread(proc, 42, 45, stat(45, "odd) name", 7000, 7000));
        assertEquals(OptionalDouble.of(3.5), new CompilerCpu(proc, 100).seconds(42));
    }

    @Test
    void isEmptyForAProcessThatIsNotThere(@TempDir Path proc) {
        assertTrue(new CompilerCpu(proc, 100).seconds(7).isEmpty());
    }

    @Test
    void refusesALineThatIsNotAStatLine() {
        assertThrows(IllegalArgumentException.class, () -> CompilerCpu.compilerTicks("C2 CompilerThre 1 2 3"));
        assertThrows(IllegalArgumentException.class, () -> CompilerCpu.compilerTicks("5 (C2 CompilerThre) S 1 1"));
    }

    @Test
    void readsThisJvmsCompilerThreadsOnLinux() {
        OptionalDouble s = CompilerCpu.system().seconds(ProcessHandle.current().pid());
        if (Files.isDirectory(Path.of("/proc/self/task"))) {
            assertTrue(s.isPresent() && s.getAsDouble() >= 0, "compiler CPU of this JVM: " + s);
        } else {
            assertTrue(s.isEmpty());
        }
    }
}
