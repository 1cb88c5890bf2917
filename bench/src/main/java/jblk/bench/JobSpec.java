package jblk.bench;

/**
 * What one job does, in fio's terms: the pattern, block size, queue depth, the region
 * {@code [offset, offset + size)} of the device it touches, how many bytes it transfers when the
 * run is not time based, its latency sampling and its verification.
 *
 * @param ioLimitBytes bytes to transfer before the job stops by itself; 0 = until told to stop
 * @param latencySampleShift record the latency of one I/O in {@code 2^shift}; 0 = every I/O
 *                           ({@code System.nanoTime} costs about 21 ns here, twice per sampled I/O)
 * @param doVerify      after writing, read back what was written and check it
 */
record JobSpec(String name, RwMode rw, int rwmixread, int bs, int iodepth, long offset, long size,
               long ioLimitBytes, int latencySampleShift, VerifyMode verify, boolean doVerify, long seed) {

    JobSpec {
        if (bs <= 0 || bs % 512 != 0) {
            throw new IllegalArgumentException("--bs=" + bs + " is invalid: allowed a multiple of 512 bytes");
        }
        if (iodepth < 1 || iodepth > 65536) {
            throw new IllegalArgumentException("--iodepth=" + iodepth + " is out of range: allowed 1..65536");
        }
        if (rwmixread < 0 || rwmixread > 100) {
            throw new IllegalArgumentException("--rwmixread=" + rwmixread + " is out of range: allowed 0..100");
        }
        if (offset < 0 || offset % 512 != 0) {
            throw new IllegalArgumentException("--offset=" + offset + " is invalid: allowed a multiple of 512 bytes");
        }
        if (size < bs) {
            throw new IllegalArgumentException("--size=" + size + " is smaller than --bs=" + bs
                    + ": the job needs room for at least one block");
        }
        if (latencySampleShift < 0 || latencySampleShift > 30) {
            throw new IllegalArgumentException("latency sampling 1 in 2^" + latencySampleShift + ": allowed 2^0..2^30");
        }
        if ((long) bs * iodepth > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--bs=" + bs + " x --iodepth=" + iodepth
                    + " needs more than 2 GiB of buffers: lower one of them");
        }
    }

    /** Whole blocks in the region. */
    long blocks() {
        return size / bs;
    }

    boolean verifying() {
        return verify != VerifyMode.NONE;
    }

    /** The same job on another region (numjobs with verify: each job verifies its own slice). */
    JobSpec withRegion(String newName, long newOffset, long newSize, long newSeed) {
        return new JobSpec(newName, rw, rwmixread, bs, iodepth, newOffset, newSize, ioLimitBytes, latencySampleShift,
                verify, doVerify, newSeed);
    }
}
