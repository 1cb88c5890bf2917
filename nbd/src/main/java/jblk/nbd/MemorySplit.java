package jblk.nbd;

import jblk.blockcore.DirectMemory;

/**
 * How {@code ./jblk nbd} divides the JVM's direct memory ({@code -XX:MaxDirectMemorySize})
 * between the disk's pages and the server's connection buffers, so that neither can take the
 * other's: clients holding buffers never make a write fail with ENOSPC, and a full disk never
 * leaves a new connection without a buffer.
 */
final class MemorySplit {
    /** Direct memory the JDK itself may use (socket and selector internals). */
    static final long JDK_RESERVE = 8L << 20;

    private MemorySplit() {
    }

    /** {@code --buffer-memory} in bytes, or the default when not given. */
    static long bufferBytes(Long mib) {
        if (mib == null) {
            return BufferPool.defaultBudget();
        }
        long max = (DirectMemory.max() - JDK_RESERVE) >> 20;
        if (mib < 1 || mib > max) {
            throw new IllegalArgumentException("--buffer-memory " + mib + " MiB is out of range: allowed 1.." + max
                    + " MiB (the JVM's direct memory, -XX:MaxDirectMemorySize, less " + (JDK_RESERVE >> 20)
                    + " MiB for the JDK)");
        }
        return mib << 20;
    }

    /** What is left for the disk's pages. */
    static long diskPageBudget(long bufferBytes) {
        long left = DirectMemory.max() - JDK_RESERVE - bufferBytes;
        if (left < (1L << 20)) {
            throw new IllegalArgumentException("--buffer-memory " + (bufferBytes >> 20)
                    + " MiB leaves no direct memory "
                    + "for the disk's pages: allowed at most " + ((DirectMemory.max() - JDK_RESERVE - (1L << 20)) >> 20)
                    + " MiB with -XX:MaxDirectMemorySize=" + (DirectMemory.max() >> 20) + "m");
        }
        return left;
    }
}
