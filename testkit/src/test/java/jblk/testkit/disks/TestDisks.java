package jblk.testkit.disks;

import java.nio.ByteBuffer;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import jblk.blockcore.BlkStatus;
import jblk.safety.Operations;
import jblk.safety.RequestRef;

/** Drivers for the kit's own tests: correct ones and ones with one known bug each. */
public final class TestDisks {
    private TestDisks() {
    }

    /** A correct RAM disk serving every verified op inline; {@link #bug} switches one bug on. */
    public static class Ram implements Operations<Void, Void> {
        public enum Bug { NONE, SHORT_WRITE, DOUBLE_END_FLUSH, LEAK_FLUSH, NO_DISCARD }

        final ByteBuffer data;
        final Bug bug;

        public Ram(long bytes, Bug bug) {
            this.data = ByteBuffer.allocate((int) bytes);
            this.bug = bug;
        }

        @Override
        public Void newRequestData(int hctxIdx) {
            return null;
        }

        @Override
        public BlkStatus queueRq(Void hw, RequestRef<Void> rq, boolean isLast) {
            int pos = (int) (rq.sector() << 9);
            switch (rq.op()) {
                case READ -> rq.buffer().put(rq.bufOffset(), data, pos, rq.bytes());
                case WRITE -> {
                    int n = bug == Bug.SHORT_WRITE && rq.sectors() > 1 ? rq.bytes() - 512 : rq.bytes();
                    data.put(pos, rq.buffer(), rq.bufOffset(), n);
                }
                case FLUSH -> {
                    if (bug == Bug.LEAK_FLUSH) {
                        return BlkStatus.OK; // never ended
                    }
                    if (bug == Bug.DOUBLE_END_FLUSH) {
                        rq.endOk();
                    }
                }
                case DISCARD, WRITE_ZEROES -> {
                    if (bug == Bug.NO_DISCARD && rq.op() == jblk.blockcore.ReqOp.DISCARD) {
                        return BlkStatus.NOTSUPP;
                    }
                    data.put(pos, new byte[rq.bytes()]);
                }
                default -> {
                    return BlkStatus.NOTSUPP;
                }
            }
            rq.endOk();
            return BlkStatus.OK;
        }

        @Override
        public void commitRqs(Void hw) {
        }

        @Override
        public void complete(RequestRef<Void> rq) {
            rq.endOk();
        }
    }

    /** A correct RAM disk as a driver from outside jblk is given: a public class with a (capacity bytes) constructor.
    * */
    public static final class GoodRam extends Ram {
        public GoodRam(long bytes) {
            super(bytes, Bug.NONE);
        }
    }

    /** A correct RAM disk that moves data on a worker pool and completes there (the driver's own threads). */
    public static final class Async implements Operations<Void, Void>, AutoCloseable {
        final ByteBuffer data;
        final ExecutorService workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "async-disk-worker");
            t.setDaemon(true);
            return t;
        });

        public Async(long bytes) {
            this.data = ByteBuffer.allocate((int) bytes);
        }

        @Override
        public Void newRequestData(int hctxIdx) {
            return null;
        }

        @Override
        public BlkStatus queueRq(Void hw, RequestRef<Void> rq, boolean isLast) {
            workers.execute(() -> {
                int pos = (int) (rq.sector() << 9);
                synchronized (data) {
                    switch (rq.op()) {
                        case READ -> rq.buffer().put(rq.bufOffset(), data, pos, rq.bytes());
                        case WRITE -> data.put(pos, rq.buffer(), rq.bufOffset(), rq.bytes());
                        default -> {
                        }
                    }
                }
                rq.endOk();
            });
            return BlkStatus.OK;
        }

        @Override
        public void commitRqs(Void hw) {
        }

        @Override
        public void complete(RequestRef<Void> rq) {
            rq.endOk();
        }

        @Override
        public void close() {
            workers.shutdown();
            try {
                workers.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // the caller's interrupt stays visible
            }
        }
    }
}
