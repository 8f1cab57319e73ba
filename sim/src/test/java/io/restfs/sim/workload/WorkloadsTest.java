package io.restfs.sim.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restfs.sim.spec.SpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkloadsTest {
    @Test
    void workloadSpecsReadBackToTheSameWorkload() {
        for (String spec : List.of("lookups:1/min", "lookups:5/h", "records:items=100,gets=2/s,size=200")) {
            Workload w = Workloads.parse(spec);
            assertEquals(w.spec(), Workloads.parse(w.spec()).spec(), spec);
        }
        assertEquals("records:items=1000,gets=10/s,size=64", Workloads.parse("records:").spec());
    }

    @Test
    void badWorkloadSpecsAreRefusedWithTheOptionNamed() {
        for (String bad : List.of("storage:1", "lookups:0/min", "lookups:fast", "records:items=0",
                "records:items=10,gets=1", "records:size=5000", "records:colour=red")) {
            SpecException e = assertThrows(SpecException.class, () -> Workloads.parse(bad), bad);
            assertTrue(e.getMessage().startsWith("--workload"), e.getMessage());
        }
    }
}
