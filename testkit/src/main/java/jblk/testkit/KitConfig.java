package jblk.testkit;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import jblk.blockcore.ReqOp;
import jblk.safety.Ownership;

/**
 * What the kit runs: the ops the driver claims, submitters, hw queues, queue depth, disk size, the
 * number of I/Os, the timeouts and the seed that replays the workload. Values are checked in
 * {@link Builder#build()} with one clear message each. Defaults keep a run to a few seconds.
 */
public final class KitConfig {
    /** The system property that sets the seed of a run: {@code -Djblk.testkit.seed=N} replays one. */
    public static final String SEED_PROPERTY = "jblk.testkit.seed";
    /** The system property that scales the I/O count: {@code -Djblk.testkit.ios=N} per submitter and pass. */
    public static final String IOS_PROPERTY = "jblk.testkit.ios";
    /** Largest I/O the workload issues, in sectors. */
    public static final int MAX_IO_SECTORS = 16;
    /** The ops the kit can verify. */
    public static final Set<ReqOp> VERIFIED = Set.copyOf(
            EnumSet.of(ReqOp.READ, ReqOp.WRITE, ReqOp.FLUSH, ReqOp.DISCARD, ReqOp.WRITE_ZEROES));

    final long seed;
    final Set<ReqOp> ops;
    final Set<Pass> passes;
    final int submitters;
    final int hwQueues;
    final int queueDepth;
    final int capacitySectors;
    final int iosPerSubmitter;
    final Ownership ownership;
    final Duration requestTimeout;
    final Duration faultTimeout;
    final Duration closeTimeout;
    final Duration completionWait;
    final String driverName;

    private KitConfig(Builder b) {
        this.seed = b.seed;
        this.ops = EnumSet.copyOf(b.ops);
        this.passes = EnumSet.copyOf(b.passes);
        this.submitters = b.submitters;
        this.hwQueues = b.hwQueues;
        this.queueDepth = b.queueDepth;
        this.capacitySectors = b.capacitySectors;
        this.iosPerSubmitter = b.iosPerSubmitter;
        this.ownership = b.ownership;
        this.requestTimeout = b.requestTimeout;
        this.faultTimeout = b.faultTimeout;
        this.closeTimeout = b.closeTimeout;
        this.completionWait = b.completionWait;
        this.driverName = b.driverName;
    }

    public static Builder builder() {
        return new Builder();
    }

    public long seed() {
        return seed;
    }

    public Set<ReqOp> ops() {
        return EnumSet.copyOf(ops);
    }

    public Set<Pass> passes() {
        return EnumSet.copyOf(passes);
    }

    public int submitters() {
        return submitters;
    }

    public int hwQueues() {
        return hwQueues;
    }

    public int iosPerSubmitter() {
        return iosPerSubmitter;
    }

    public Ownership ownership() {
        return ownership;
    }

    public String driverName() {
        return driverName;
    }

    /** A copy running only {@code pass}. */
    KitConfig only(Pass pass) {
        Builder b = toBuilder();
        b.passes = EnumSet.of(pass);
        return b.build();
    }

    Builder toBuilder() {
        Builder b = new Builder();
        b.seed = seed;
        b.ops = EnumSet.copyOf(ops);
        b.passes = EnumSet.copyOf(passes);
        b.submitters = submitters;
        b.hwQueues = hwQueues;
        b.queueDepth = queueDepth;
        b.capacitySectors = capacitySectors;
        b.iosPerSubmitter = iosPerSubmitter;
        b.ownership = ownership;
        b.requestTimeout = requestTimeout;
        b.faultTimeout = faultTimeout;
        b.closeTimeout = closeTimeout;
        b.completionWait = completionWait;
        b.driverName = driverName;
        return b;
    }

    /** Builds a {@link KitConfig}; unset values take the defaults named on each setter. */
    public static final class Builder {
        private long seed;
        private boolean seedSet;
        private Set<ReqOp> ops = EnumSet.of(ReqOp.READ, ReqOp.WRITE, ReqOp.FLUSH);
        private Set<Pass> passes = EnumSet.allOf(Pass.class);
        private int submitters = 3;
        private int hwQueues = 2;
        private int queueDepth = 16;
        private int capacitySectors = 8192;
        private int iosPerSubmitter = -1;
        private Ownership ownership = Ownership.CHECKED;
        private Duration requestTimeout = Duration.ofSeconds(5);
        private Duration faultTimeout = Duration.ofMillis(100);
        private Duration closeTimeout = Duration.ofSeconds(2);
        private Duration completionWait = Duration.ofSeconds(10);
        private String driverName = "driver";

        private Builder() {
        }

        /** The workload's seed; default {@code -Djblk.testkit.seed}, else random (printed in the report). */
        public Builder seed(long s) {
            this.seed = s;
            this.seedSet = true;
            return this;
        }

        /**
         * The ops the driver claims to serve (READ and WRITE always; FLUSH, DISCARD, WRITE_ZEROES
         * optional); each is verified. Default READ, WRITE, FLUSH.
         */
        public Builder ops(ReqOp... claimed) {
            Set<ReqOp> s = EnumSet.of(ReqOp.READ, ReqOp.WRITE);
            for (ReqOp op : claimed) {
                if (op == null || !VERIFIED.contains(op)) {
                    throw new IllegalArgumentException("op " + op + " is not verified by the kit: allowed " + VERIFIED);
                }
                s.add(op);
            }
            this.ops = s;
            return this;
        }

        /** Which passes run; default all. */
        public Builder passes(Pass... p) {
            this.passes = p.length == 0 ? EnumSet.noneOf(Pass.class) : EnumSet.of(p[0], p);
            return this;
        }

        /** Submitting threads, each with its own software queue (1..16, default 3). */
        public Builder submitters(int n) {
            this.submitters = n;
            return this;
        }

        /** Hardware queues (1..16, default 2). */
        public Builder hwQueues(int n) {
            this.hwQueues = n;
            return this;
        }

        /** Tags per hw queue (2..1024, default 16). */
        public Builder queueDepth(int n) {
            this.queueDepth = n;
            return this;
        }

        /** Disk size in 512-byte sectors (64..4194304, default 8192 = 4 MiB). */
        public Builder capacitySectors(int n) {
            this.capacitySectors = n;
            return this;
        }

        /** I/Os per submitter and pass (1..10000000); default {@code -Djblk.testkit.ios}, else 1500. */
        public Builder iosPerSubmitter(int n) {
            this.iosPerSubmitter = n;
            return this;
        }

        /** The tag set's ownership mode (default CHECKED; OFF skips the buggy-wrapper pass). */
        public Builder ownership(Ownership o) {
            this.ownership = o;
            return this;
        }

        /** The tag set's request timeout in the data and buggy passes (10 ms..1 h, default 5 s). */
        public Builder requestTimeout(Duration d) {
            this.requestTimeout = d;
            return this;
        }

        /**
         * The tag set's request timeout in the faults pass, where lost requests must expire (10 ms..1 h, default 100
         * ms).
         */
        public Builder faultTimeout(Duration d) {
            this.faultTimeout = d;
            return this;
        }

        /** How long closing the disk waits for in-flight requests (0..1 h, default 2 s). */
        public Builder closeTimeout(Duration d) {
            this.closeTimeout = d;
            return this;
        }

        /** How long the kit waits for the last bios to complete (1 s..1 h, default 10 s). */
        public Builder completionWait(Duration d) {
            this.completionWait = d;
            return this;
        }

        /** The driver's name in the report (default "driver"). */
        public Builder driverName(String n) {
            this.driverName = n;
            return this;
        }

        public KitConfig build() {
            range("submitters", submitters, 1, 16);
            range("hwQueues", hwQueues, 1, 16);
            range("queueDepth", queueDepth, 2, 1024);
            range("capacitySectors", capacitySectors, 64, 1 << 22);
            if (iosPerSubmitter < 0) {
                String p = System.getProperty(IOS_PROPERTY);
                iosPerSubmitter = p == null || p.isBlank() ? 1500 : parse(IOS_PROPERTY, p);
            }
            range("iosPerSubmitter", iosPerSubmitter, 1, 10_000_000);
            if (ownership == null) {
                throw new IllegalArgumentException("ownership must not be null: allowed " + Ownership.ALLOWED);
            }
            duration("requestTimeout", requestTimeout, Duration.ofMillis(10), Duration.ofHours(1));
            duration("faultTimeout", faultTimeout, Duration.ofMillis(10), Duration.ofHours(1));
            duration("closeTimeout", closeTimeout, Duration.ZERO, Duration.ofHours(1));
            duration("completionWait", completionWait, Duration.ofSeconds(1), Duration.ofHours(1));
            if (!seedSet) {
                String p = System.getProperty(SEED_PROPERTY);
                seed = p == null || p.isBlank() ? new SecureRandom().nextLong() : parseLong(SEED_PROPERTY, p);
                seedSet = true;
            }
            return new KitConfig(this);
        }

        private static void range(String name, int v, int lo, int hi) {
            if (v < lo || v > hi) {
                throw new IllegalArgumentException(name + " " + v + " is out of range: allowed " + lo + ".." + hi);
            }
        }

        private static void duration(String name, Duration d, Duration lo, Duration hi) {
            if (d == null || d.compareTo(lo) < 0 || d.compareTo(hi) > 0) {
                throw new IllegalArgumentException(name + " " + d + " is out of range: allowed " + lo + ".." + hi);
            }
        }

        private static int parse(String name, String v) {
            try {
                return Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " '" + v + "' is not a number: allowed 1..10000000");
            }
        }

        private static long parseLong(String name, String v) {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(name + " '" + v + "' is not a number: allowed a 64-bit integer");
            }
        }
    }
}
