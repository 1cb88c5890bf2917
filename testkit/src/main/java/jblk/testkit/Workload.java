package jblk.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import jblk.blockcore.ReqOp;

/**
 * The seeded random workload: per pass and submitter, a fixed list of {@link IoSpec}s derived from
 * the seed alone, so a seed replays the same I/Os (which request meets which injected fault still
 * depends on thread scheduling, as in the torture run).
 */
final class Workload {
    private Workload() {
    }

    /** The I/Os submitter {@code submitter} issues in {@code pass}. */
    static List<IoSpec> plan(long seed, Pass pass, int submitter, KitConfig c) {
        SplittableRandom r = new SplittableRandom(seed + 0x9E3779B97F4A7C15L * (pass.ordinal() * 17L + submitter + 1));
        int[] weights = weights(c.ops);
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        List<IoSpec> out = new ArrayList<>(c.iosPerSubmitter);
        for (int i = 0; i < c.iosPerSubmitter; i++) {
            int pick = r.nextInt(total);
            ReqOp op = ReqOp.READ;
            for (ReqOp o : ReqOp.values()) {
                int w = o.ordinal() < weights.length ? weights[o.ordinal()] : 0;
                if (pick < w) {
                    op = o;
                    break;
                }
                pick -= w;
            }
            int n = 1 + r.nextInt(KitConfig.MAX_IO_SECTORS);
            int start = r.nextInt(c.capacitySectors - n + 1);
            boolean plug = r.nextInt(16) == 0;
            out.add(op == ReqOp.FLUSH ? new IoSpec(op, 0, 0, plug) : new IoSpec(op, start, n, plug));
        }
        return out;
    }

    /** A final sequential read of the whole disk. */
    static List<IoSpec> readBack(KitConfig c) {
        List<IoSpec> out = new ArrayList<>();
        for (int s = 0; s < c.capacitySectors; s += KitConfig.MAX_IO_SECTORS) {
            out.add(new IoSpec(ReqOp.READ, s, Math.min(KitConfig.MAX_IO_SECTORS, c.capacitySectors - s), false));
        }
        return out;
    }

    /** A fingerprint of every pass's plan: equal seeds and settings give equal fingerprints. */
    static String fingerprint(long seed, KitConfig c) {
        long h = 0xCBF29CE484222325L;
        for (Pass p : c.passes) {
            for (int s = 0; s < c.submitters; s++) {
                for (IoSpec io : plan(seed, p, s, c)) {
                    h = (h ^ io.op().ordinal()) * 0x100000001B3L;
                    h = (h ^ io.start()) * 0x100000001B3L;
                    h = (h ^ io.sectors()) * 0x100000001B3L;
                    h = (h ^ (io.plug() ? 1 : 0)) * 0x100000001B3L;
                }
            }
        }
        return String.format("%016x", h);
    }

    /** Relative weights per op (by ordinal), zero for ops the driver does not claim. */
    private static int[] weights(Set<ReqOp> ops) {
        int[] w = new int[ReqOp.values().length];
        for (ReqOp op : ops) {
            switch (op) {
                case READ, WRITE -> w[op.ordinal()] = 40;
                case FLUSH -> w[op.ordinal()] = 4;
                case DISCARD, WRITE_ZEROES -> w[op.ordinal()] = 8;
                default -> w[op.ordinal()] = 0;
            }
        }
        return w;
    }
}
