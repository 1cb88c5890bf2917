package com.example.filedisk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jblk.blockcore.BlkStatus;
import jblk.safety.Operations;
import jblk.safety.RequestRef;

/**
 * A safe driver backed by a real file: queueRq hands each request to a small worker pool, which
 * moves the data with positional {@link FileChannel} I/O, turns FLUSH into {@code force}, and
 * ends the request there (completion on the driver's own threads).
 */
public final class FileDisk implements Operations<Void, Void>, AutoCloseable {
    private static final AtomicInteger POOLS = new AtomicInteger();

    private final Path path;
    private final boolean temporary;
    private final FileChannel file;
    private final ExecutorService workers;

    /** A disk of {@code bytes} on a temporary file, deleted at close (what --driver-class uses). */
    public FileDisk(long bytes) throws IOException {
        this(Files.createTempFile("filedisk", ".img"), bytes, true);
    }

    /** A disk of {@code bytes} on {@code path} (created or extended as needed, kept at close). */
    public FileDisk(Path path, long bytes) throws IOException {
        this(path, bytes, false);
    }

    private FileDisk(Path path, long bytes, boolean temporary) throws IOException {
        this.path = path;
        this.temporary = temporary;
        this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (file.size() < bytes) {
            file.write(ByteBuffer.allocate(1), bytes - 1); // sparse: reads of unwritten blocks return zeros
        }
        int pool = POOLS.incrementAndGet();
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "filedisk" + pool + "-worker-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public Void newRequestData(int hctxIdx) {
        return null;
    }

    @Override
    public BlkStatus queueRq(Void hw, RequestRef<Void> rq, boolean isLast) {
        workers.execute(() -> serve(rq));
        return BlkStatus.OK; // ours now: a worker ends it
    }

    private void serve(RequestRef<Void> rq) {
        long pos = rq.sector() << 9;
        try {
            switch (rq.op()) {
                case READ -> {
                    ByteBuffer dst = rq.buffer().slice(rq.bufOffset(), rq.bytes());
                    while (dst.hasRemaining()) {
                        if (file.read(dst, pos + dst.position()) < 0) {
                            while (dst.hasRemaining()) {
                                dst.put((byte) 0); // past the end of the file: zeros
                            }
                        }
                    }
                }
                case WRITE -> write(rq.buffer().slice(rq.bufOffset(), rq.bytes()), pos);
                case FLUSH -> file.force(false);
                case DISCARD, WRITE_ZEROES -> write(ByteBuffer.allocate(rq.bytes()), pos);
                default -> {
                    rq.end(BlkStatus.NOTSUPP);
                    return;
                }
            }
            rq.endOk();
        } catch (IOException e) {
            rq.end(BlkStatus.IOERR);
        }
    }

    private void write(ByteBuffer src, long pos) throws IOException {
        while (src.hasRemaining()) {
            file.write(src, pos + src.position());
        }
    }

    @Override
    public void commitRqs(Void hw) {
    }

    @Override
    public void complete(RequestRef<Void> rq) {
        rq.endOk();
    }

    /** Stops the workers (after the disk closed, so none has work) and closes the file. */
    @Override
    public void close() throws IOException, InterruptedException {
        workers.shutdown();
        workers.awaitTermination(10, TimeUnit.SECONDS);
        file.close();
        if (temporary) {
            Files.deleteIfExists(path);
        }
    }
}
