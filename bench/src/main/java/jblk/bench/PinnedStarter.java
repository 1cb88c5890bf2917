package jblk.bench;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A thread pinned to one CPU whose only work is to start other threads: a thread inherits its
 * creator's affinity at {@code clone(2)}, so a job's submitter, started here, runs on the job's
 * CPU without a {@code taskset} per run (compare starts fresh submitters every run).
 */
final class PinnedStarter implements AutoCloseable {
    private final ExecutorService exec;
    private volatile int cpu;

    PinnedStarter(int cpu) throws IOException {
        this.exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pin-starter-cpu" + cpu);
            t.setDaemon(true);
            return t;
        });
        moveTo(cpu);
    }

    /** The CPU the threads it starts run on. */
    int cpu() {
        return cpu;
    }

    /** Pins the starter (and so the threads it starts from now on) to {@code to}. */
    void moveTo(int to) throws IOException {
        await(exec.submit(() -> {
            CpuAffinity.pin(CpuAffinity.currentTid(), to);
            return null;
        }));
        cpu = to;
    }

    /** Starts {@code t} from the pinned thread, so it runs on {@link #cpu}. */
    void start(Thread t) {
        try {
            await(exec.submit(t::start));
        } catch (IOException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static void await(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pinning to a CPU", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException(String.valueOf(c), c);
        }
    }

    @Override
    public void close() {
        exec.shutdownNow();
    }
}
