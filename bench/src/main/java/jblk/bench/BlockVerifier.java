package jblk.bench;

import java.nio.ByteBuffer;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.zip.CRC32C;

/**
 * fio-style verification of one block ({@code struct verify_header}): a written block carries a
 * header (magic, its own offset, the seed of its payload, its length, the job's write sequence
 * number {@code numberio}, a checksum) and a pseudo-random payload; reading it back checks the
 * magic, that it is the block that belongs at this offset, the checksum over header and payload,
 * and (for jobs that write) that it is the last write issued there: a dropped overwrite leaves an
 * older block whose checksum is still good, and only its numberio gives it away. One instance per
 * job (it keeps its digest state); not thread safe.
 *
 * <pre>
 * [0,4) magic  [4,12) offset  [12,20) seed  [20,24) length  [24,32) numberio  [32,32+n) checksum  ... [48,bs) payload
 * </pre>
 */
final class BlockVerifier {
    static final int MAGIC = 0x6a626c6b; // "jblk"
    static final int HEADER_BYTES = 48;
    private static final int NUMBERIO = 24;
    private static final int CHECKED_HEADER = 32;

    private final VerifyMode mode;
    private final CRC32C crc = new CRC32C();
    private final MessageDigest md5;
    private final byte[] digest = new byte[16];

    BlockVerifier(VerifyMode mode) {
        this.mode = mode;
        try {
            this.md5 = mode == VerifyMode.MD5 ? MessageDigest.getInstance("MD5") : null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no MD5", e);
        }
    }

    /**
     * Writes a verifiable block for {@code offset} into {@code b} (a view of exactly one block),
     * stamped with the job's write sequence number {@code numberio}.
     */
    void fill(ByteBuffer b, long offset, long seed, long numberio) {
        int bs = b.capacity();
        b.putInt(0, MAGIC);
        b.putLong(4, offset);
        b.putLong(12, seed);
        b.putInt(20, bs);
        b.putLong(NUMBERIO, numberio);
        long x = seed | 1;
        for (int i = HEADER_BYTES; i < bs; i += 8) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            b.putLong(i, x);
        }
        checksum(b);
        for (int i = 0; i < mode.checksumBytes; i++) {
            b.put(CHECKED_HEADER + i, digest[i]);
        }
        for (int i = CHECKED_HEADER + mode.checksumBytes; i < HEADER_BYTES; i++) {
            b.put(i, (byte) 0);
        }
    }

    /** Overwrites a read buffer so a read that returns nothing cannot pass as the old data. */
    static void poison(ByteBuffer b) {
        for (int i = 0; i + 8 <= b.capacity(); i += 8) {
            b.putLong(i, 0L);
        }
    }

    /**
     * Checks a block read from {@code offset}: null when good, else what is wrong, in the words fio
     * uses ("bad magic header", "bad header offset", "bad checksum").
     */
    String check(ByteBuffer b, long offset) {
        int bs = b.capacity();
        int magic = b.getInt(0);
        if (magic != MAGIC) {
            return String.format("verify: bad magic header %x, wanted %x at offset %d, length %d", magic, MAGIC,
                    offset, bs);
        }
        long off = b.getLong(4);
        int len = b.getInt(20);
        if (off != offset || len != bs) {
            return "verify: bad header offset " + off + " length " + len + ", wanted offset " + offset
                    + " length " + bs;
        }
        checksum(b);
        for (int i = 0; i < mode.checksumBytes; i++) {
            if (b.get(CHECKED_HEADER + i) != digest[i]) {
                return "verify: bad " + mode + " checksum at offset " + offset + ", length " + bs;
            }
        }
        return null;
    }

    /**
     * Checks the write sequence number of a block that {@link #check} passed: it must be the last
     * write issued to this block ({@code want}), or, when writes to it overlapped in flight and
     * either could have landed last, any of {@code [lowest, want]}. Null when good, else fio's words.
     */
    static String checkNumberio(ByteBuffer b, long offset, long lowest, long want) {
        long got = b.getLong(NUMBERIO);
        if (got < lowest || got > want) {
            return "verify: bad header numberio " + got + ", wanted " + want + " at offset " + offset + ", length "
                    + b.capacity() + " (a write that was acknowledged is not on the device)";
        }
        return null;
    }

    /** The checksum of the header's first 32 bytes and the payload, into {@link #digest}. */
    private void checksum(ByteBuffer b) {
        int bs = b.capacity();
        if (mode == VerifyMode.CRC32C) {
            crc.reset();
            crc.update(b.limit(CHECKED_HEADER).position(0));
            crc.update(b.limit(bs).position(HEADER_BYTES));
            int v = (int) crc.getValue();
            digest[0] = (byte) (v >>> 24);
            digest[1] = (byte) (v >>> 16);
            digest[2] = (byte) (v >>> 8);
            digest[3] = (byte) v;
        } else if (mode == VerifyMode.MD5) {
            md5.update(b.limit(CHECKED_HEADER).position(0));
            md5.update(b.limit(bs).position(HEADER_BYTES));
            try {
                md5.digest(digest, 0, 16);
            } catch (DigestException e) {
                throw new IllegalStateException(e);
            }
        }
        b.clear();
    }
}
