package jblk.blockcore;

import static jblk.blockcore.TestDrivers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Background I/O for tests that reconfigure, quiesce or freeze a disk: two submitter threads, each
 * with 8 reusable bios, checking that every bio completes exactly once and with OK.
 */
final class IoLoad {
    static final int SLOTS = 8;
    final GenDisk disk;
    final AtomicBoolean stop = new AtomicBoolean();
    final AtomicLong submitted = new AtomicLong();
    final AtomicLong completed = new AtomicLong();
    final AtomicLong doubles = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final List<Throwable> err = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();

    IoLoad(GenDisk disk) {
        this.disk = disk;
    }

    IoLoad start() {
        for (int t = 0; t < 2; t++) {
            final int id = t;
            threads.add(TestDrivers.start("load-" + t, () -> run(id), err));
        }
        return this;
    }

    private void run(int id) throws Exception {
        Semaphore free = new Semaphore(SLOTS);
        AtomicIntegerArray inFlight = new AtomicIntegerArray(SLOTS);
        Bio[] bios = new Bio[SLOTS];
        for (int s = 0; s < SLOTS; s++) {
            final int slot = s;
            bios[s] = read(0, 4096, bio -> {
                if (!inFlight.compareAndSet(slot, 1, 0)) {
                    doubles.incrementAndGet();
                }
                if (bio.status() != BlkStatus.OK) {
                    failed.incrementAndGet();
                }
                completed.incrementAndGet();
                free.release();
            });
        }
        try (SwQueue q = disk.openQueue()) {
            long n = 0;
            while (!stop.get()) {
                if (!free.tryAcquire(WAIT_S, TimeUnit.SECONDS)) {
                    throw new AssertionError("no bio completed within " + WAIT_S + " s");
                }
                int slot = -1;
                for (int s = 0; s < SLOTS; s++) {
                    if (inFlight.compareAndSet(s, 0, 1)) {
                        slot = s;
                        break;
                    }
                }
                assertTrue(slot >= 0, "a permit without a free slot");
                bios[slot].sector((n++ % 1024) * 8 + id * 8192L);
                submitted.incrementAndGet();
                q.submitBio(bios[slot]);
            }
            if (!free.tryAcquire(SLOTS, WAIT_S, TimeUnit.SECONDS)) {
                throw new AssertionError("outstanding bios did not complete");
            }
        }
    }

    void stopAndVerify() throws InterruptedException {
        stop.set(true);
        for (Thread t : threads) {
            join(t);
        }
        noErrors(err);
        assertEquals(0, doubles.get(), "bios completed twice");
        assertEquals(0, failed.get(), "bios failed");
        assertEquals(submitted.get(), completed.get(), "every submitted bio completed");
        assertTrue(submitted.get() > 0);
    }
}
