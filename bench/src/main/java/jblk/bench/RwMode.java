package jblk.bench;

import java.util.Locale;

/** fio's {@code --rw}: the I/O pattern of a job (direction and sequential or random offsets). */
enum RwMode {
    READ(true, false, false),
    WRITE(false, true, false),
    RANDREAD(true, false, true),
    RANDWRITE(false, true, true),
    /** Mixed random reads and writes, {@code --rwmixread} percent reads. */
    RANDRW(true, true, true),
    /** Mixed sequential reads and writes (fio's {@code readwrite}, also {@code rw}). */
    READWRITE(true, true, false);

    final boolean reads;
    final boolean writes;
    final boolean random;

    RwMode(boolean reads, boolean writes, boolean random) {
        this.reads = reads;
        this.writes = writes;
        this.random = random;
    }

    boolean mixed() {
        return reads && writes;
    }

    static RwMode parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (v.equals("rw")) {
            return READWRITE;
        }
        for (RwMode m : values()) {
            if (m.fioName().equals(v)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--rw=" + s
                + " is invalid: allowed read, write, randread, randwrite, randrw, readwrite (or rw)");
    }

    String fioName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
