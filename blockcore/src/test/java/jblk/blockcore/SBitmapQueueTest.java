package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import jblk.blockcore.sbitmap.SBitmapQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The sbitmap tag allocator: shift as in the kernel, every bit once, no double hand-out under contention. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SBitmapQueueTest {

    @Test
    void calculateShiftMatchesTheKernel() {
        // lib/sbitmap.c sbitmap_calculate_shift with BITS_PER_LONG = 64
        assertEquals(4, SBitmapQueue.calculateShift(64));
        assertEquals(3, SBitmapQueue.calculateShift(32));
        assertEquals(6, SBitmapQueue.calculateShift(1024));
        assertEquals(1, SBitmapQueue.calculateShift(8));
        assertEquals(6, SBitmapQueue.calculateShift(256));
        assertEquals(5, SBitmapQueue.calculateShift(255));
        assertEquals(0, SBitmapQueue.calculateShift(4));
        assertEquals(0, SBitmapQueue.calculateShift(7));
        assertEquals(6, SBitmapQueue.calculateShift(3), "below 4 the default shift stays");
        assertEquals(6, SBitmapQueue.calculateShift(65536));
        SBitmapQueue sb = new SBitmapQueue(64);
        assertEquals(16, sb.bitsPerWord());
        assertEquals(4, sb.mapNr());
    }

    /** Allocates every bit once: distinct, in range, then -1; frees and reallocates. */
    private static void exhaust(int depth) {
        SBitmapQueue sb = new SBitmapQueue(depth);
        assertEquals(depth, sb.depth());
        assertEquals((depth + sb.bitsPerWord() - 1) / sb.bitsPerWord(), sb.mapNr(), "map_nr for depth " + depth);
        BitSet seen = new BitSet();
        for (int i = 0; i < depth; i++) {
            int b = sb.get(i * 7 % Math.max(depth, 1));
            assertTrue(b >= 0 && b < depth, "bit " + b + " out of range for depth " + depth);
            assertFalse(seen.get(b), "bit " + b + " handed out twice (depth " + depth + ")");
            seen.set(b);
            assertTrue(sb.isSet(b));
        }
        assertEquals(depth, sb.weight());
        assertEquals(-1, sb.get(0), "full at depth " + depth);
        assertEquals(-1, sb.get(depth - 1));
        if (depth > 0) {
            int victim = depth / 2;
            sb.clear(victim);
            assertFalse(sb.isSet(victim));
            assertEquals(depth - 1, sb.weight());
            assertEquals(victim, sb.get(0), "the only free bit is found from any hint");
            assertEquals(-1, sb.get(0));
        }
    }

    @Test
    void everyBitOnceForAwkwardDepths() {
        for (int depth : new int[] {0, 1, 2, 3, 4, 5, 7, 10, 17, 33, 63, 64, 65, 100, 127, 129, 1000, 1023, 4097}) {
            exhaust(depth);
        }
    }

    @Test
    void hintIsHonouredAndOutOfRangeHintsWork() {
        SBitmapQueue sb = new SBitmapQueue(100);
        assertEquals(37, sb.get(37));
        assertEquals(38, sb.get(37), "next free at or after the hint");
        assertEquals(0, sb.get(-5), "negative hint starts at 0");
        assertEquals(1, sb.get(100), "hint past the depth starts at 0");
        sb.clear(37);
        assertEquals(37, sb.get(37));
    }

    @Test
    void zeroDepthNeverAllocates() {
        SBitmapQueue sb = new SBitmapQueue(0);
        assertEquals(-1, sb.get(0));
        assertEquals(0, sb.weight());
        assertThrows(IllegalArgumentException.class, () -> new SBitmapQueue(-1));
    }

    @Test
    void concurrentGetAndClearNeverHandOutABitTwice() throws Exception {
        for (int depth : new int[] {8, 37, 64}) {
            SBitmapQueue sb = new SBitmapQueue(depth);
            AtomicIntegerArray owner = new AtomicIntegerArray(depth);
            AtomicLong conflicts = new AtomicLong();
            AtomicLong allocations = new AtomicLong();
            List<Throwable> err = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 1; t <= 2; t++) {
                final int me = t;
                threads.add(start("sbitmap-" + t, () -> {
                    go.await();
                    int[] mine = new int[depth];
                    int held = 0;
                    int hint = me * depth / 3;
                    for (int i = 0; i < 300_000; i++) {
                        // hold up to 3/4 of the depth, so both threads compete for the same words
                        if (held < depth * 3 / 4) {
                            int b = sb.get(hint);
                            if (b >= 0) {
                                if (!owner.compareAndSet(b, 0, me)) {
                                    conflicts.incrementAndGet();
                                }
                                mine[held++] = b;
                                allocations.incrementAndGet();
                                hint = b + 1;
                                continue;
                            }
                        }
                        if (held > 0) {
                            int b = mine[--held];
                            if (!owner.compareAndSet(b, me, 0)) {
                                conflicts.incrementAndGet();
                            }
                            sb.clear(b);
                        }
                    }
                    while (held > 0) {
                        int b = mine[--held];
                        owner.compareAndSet(b, me, 0);
                        sb.clear(b);
                    }
                }, err));
            }
            go.countDown();
            for (Thread t : threads) {
                join(t);
            }
            noErrors(err);
            assertEquals(0, conflicts.get(), "a bit was owned by two threads at once (depth " + depth + ")");
            assertTrue(allocations.get() > 1000);
            assertEquals(0, sb.weight(), "every bit free at the end");
        }
    }

    @Test
    void waiterIsWokenByClear() throws Exception {
        SBitmapQueue sb = new SBitmapQueue(1);
        assertEquals(0, sb.get(0));
        List<Throwable> err = new ArrayList<>();
        AtomicInteger got = new AtomicInteger(-1);
        CountDownLatch registered = new CountDownLatch(1);
        Thread w = start("waiter", () -> {
            while (true) {
                sb.prepareToWait();
                registered.countDown();
                int b = sb.get(0);
                if (b >= 0) {
                    sb.finishWait();
                    got.set(b);
                    return;
                }
                sb.park(TimeUnit.SECONDS.toNanos(WAIT_S));
                sb.finishWait();
            }
        }, err);
        assertTrue(registered.await(WAIT_S, TimeUnit.SECONDS));
        awaitTrue("waiter registered", () -> sb.waiterCount() == 1);
        sb.clear(0);
        join(w);
        noErrors(err);
        assertEquals(0, got.get());
        assertEquals(0, sb.waiterCount());
    }
}
