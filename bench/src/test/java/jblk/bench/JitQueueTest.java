package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
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
    void c2CodeKeepsTier4CodeInUseOfTheMethodsAsked() {
        String list = """
                427 1 0 jblk.blockcore.Bio.flags()I [0x00007fbe6cef4090, 0x00007fbe6cef4220 - 0x00007fbe6cef42f0]
                1561 4 0 jblk.blockcore.BlkMq.freeRequestTag(Ljblk/blockcore/Request;)V [0x1, 0x2 - 0x3]
                1208 4 2 jblk.bench.IoJob.complete(II)V [0x1, 0x2 - 0x3]
                1564 4 0 jblk.bench.IoJob.pump()V [0x1, 0x2 - 0x3]
                1627 4 0 jblk.bench.IoJob.<init>(Ljblk/bench/JobSpec;)V [0x1, 0x2 - 0x3]
                1637 4 0 jblk.bench.CompareWorker.lambda$startInflightReader$0()V [0x1, 0x2 - 0x3]
                1641 4 0 jblk.blockcore.TimeoutTimer.add(JJ)V [0x1, 0x2 - 0x3]
                1621 4 0 jblk.blockcore.DiskStats$$Lambda$82/0x00007f9390025708.visit(Ljava/lang/Object;)Z [0x1]
                1551 4 0 java.util.regex.CharPredicates$$Lambda$17/0x800000025.is(I)Z [0x1, 0x2 - 0x3]
                """;
        // tier 1 code, code not entrant (state 2), and what HotPath leaves out (constructors, the
        // worker's own code, what StableJit keeps out of line, the iterators, the JDK) are not kept
        assertEquals(Map.of(1561L, "jblk.blockcore.BlkMq::freeRequestTag", 1564L, "jblk.bench.IoJob::pump"),
                JitQueue.c2Code(list, HotPath::contains));
        assertEquals(Map.of(), JitQueue.c2Code("", HotPath::contains));
    }

    @Test
    void changedNamesWhatWasCompiledOrThrownAwayInBetween() {
        SortedMap<Long, String> before = new TreeMap<>(Map.of(1L, "a::x", 2L, "a::y", 3L, "a::z"));
        SortedMap<Long, String> after = new TreeMap<>(Map.of(1L, "a::x", 4L, "a::y", 5L, "a::w"));
        assertEquals(List.of("a::w", "a::y", "a::z"), JitQueue.changed(before, after));
        assertEquals(List.of(), JitQueue.changed(before, before));
    }

    @Test
    void thisJvmsCodelistAnswers() {
        SortedMap<Long, String> all = JitQueue.c2Code(m -> true);
        assertNotNull(all, "HotSpot answers Compiler.codelist");
        assertTrue(all.values().stream().allMatch(m -> m.contains("::")), "names as Class::method: " + all);
    }

    @Test
    void thisJvmsQueueDrains() throws InterruptedException {
        assertTrue(JitQueue.pending() >= 0, "HotSpot answers Compiler.queue");
        assertTrue(JitQueue.awaitQuiet(10_000), "an idle test JVM's JIT goes quiet");
    }
}
