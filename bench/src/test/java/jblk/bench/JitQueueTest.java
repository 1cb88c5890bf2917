package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Reading HotSpot's compile queue (jcmd Compiler.queue) to tell a quiet JIT from a starved one. */
class JitQueueTest {
    @Test
    void countsRunningAndQueuedTasksNotHeaders() {
        String busy = """
                Current compiles:\s
                C1 CompilerThread0  1461  s!   3       a.B::c (110 bytes)

                C1 compile queue:
                1462  s    3       a.B::d (27 bytes)
                1468       3       a.E::f (26 bytes)

                C2 compile queue:
                Empty

                """;
        assertEquals(3, JitQueue.count(busy));
        assertEquals(0, JitQueue.count("Current compiles: \n\nC1 compile queue:\nEmpty\n\nC2 compile queue:\nEmpty\n"));
    }

    @Test
    void thisJvmsQueueDrains() throws InterruptedException {
        assertTrue(JitQueue.pending() >= 0, "HotSpot answers Compiler.queue");
        assertTrue(JitQueue.awaitQuiet(10_000), "an idle test JVM's JIT goes quiet");
    }
}
