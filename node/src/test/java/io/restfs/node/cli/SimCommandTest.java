package io.restfs.node.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code restfs sim} as a user runs it: a real restfs process, which hands the run to a child JVM. */
class SimCommandTest {
    private static final String[] SMALL_RUN = {"sim", "--nodes", "30", "--duration", "1m", "--liveness", "1m",
        "--seed", "9"};

    @Test
    void restfsProcessOnG1RunsTheSimulationInAChildJvmWithTheSameResults(@TempDir Path dir) throws Exception {
        // The JVM's own default collector decides; on a machine too small for G1 there is nothing to relaunch.
        assumeTrue(ManagementFactory.getGarbageCollectorMXBeans().stream().anyMatch(b -> b.getName().startsWith("G1")),
                "this machine's default collector is not G1");
        Result child = restfs(dir, "child");
        Result same = restfs(dir, "same", "--same-jvm");
        assertEquals(0, child.exit, child.err);
        assertEquals(0, same.exit, same.err);
        assertTrue(child.err.contains(SimCommand.RELAUNCH_NOTE), child.err);
        assertFalse(same.err.contains(SimCommand.RELAUNCH_NOTE), same.err);
        assertTrue(child.out.contains("lookups:"), child.out);
        assertArrayEquals(Files.readAllBytes(dir.resolve("same").resolve("summary.json")),
                Files.readAllBytes(dir.resolve("child").resolve("summary.json")), "one seed, one result, either JVM");
    }

    @Test
    void calledInProcessItStaysInThisJvm(@TempDir Path dir) {
        List<String> args = new ArrayList<>(List.of(SMALL_RUN));
        args.addAll(List.of("--out", dir.toString()));
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertFalse(run.err().contains(SimCommand.RELAUNCH_NOTE), run.err());
        assertTrue(Files.exists(dir.resolve("summary.json")));
    }

    @Test
    void badLaneAndThreadCountsGetAClearErrorAndNoRun(@TempDir Path dir) {
        for (String[] bad : List.of(new String[] {"--lanes", "0"}, new String[] {"--lanes", "100000"},
                new String[] {"--threads", "0"}, new String[] {"--threads", "-3"})) {
            List<String> args = new ArrayList<>(List.of(SMALL_RUN));
            args.addAll(List.of("--out", dir.toString(), "--same-jvm"));
            args.addAll(List.of(bad));
            CliRun run = CliRun.of(args.toArray(String[]::new));
            assertEquals(2, run.exitCode(), run.err());
            assertTrue(run.err().contains(bad[0] + " must be between"), run.err());
            assertFalse(Files.exists(dir.resolve("summary.json")));
        }
    }

    private record Result(int exit, String out, String err) {
    }

    /** Runs {@code java -cp <this classpath> io.restfs.node.cli.Main sim ...} as a separate process. */
    private static Result restfs(Path dir, String out, String... extra) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(SMALL_RUN));
        command.addAll(List.of("--out", dir.resolve(out).toString()));
        command.addAll(List.of(extra));
        Path stdout = dir.resolve(out + ".out");
        Path stderr = dir.resolve(out + ".err");
        Process p = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("restfs sim did not finish within 120 s");
        }
        return new Result(p.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
