package jblk.bench;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import jblk.blockcore.AtomicTally;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.json.JsonWriter;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullBlkModule;
import jblk.safety.Ownership;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jblk atomics}: the atomic read-modify-writes and full fences each request costs, counted
 * by site ({@link AtomicTally}) rather than read off the code, for the raw driver and every
 * ownership strategy of the safe one, at irqmode 0 and 1. One submitter, one I/O in flight, the
 * JMH benchmark's device ({@code iostats=0}, scheduler none), so each request's count is its own.
 */
@Command(name = "jblk atomics", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = {"Atomics per request by site, for each ownership strategy (counted, -Djblk.countAtomics=true)."})
public final class AtomicsMain implements Callable<Integer> {
    /** The rows: the raw driver, then the safe driver under each strategy. */
    static final String[] VARIANTS = {"raw", "off", "refcount", "generation", "hpref", "owned", "debug"};

    @Option(names = "--requests", description = "requests counted per row (default: ${DEFAULT-VALUE})")
    int requests = 20_000;

    @Option(names = "--irqmode", split = ",", description = "irqmodes to count (default: 0,1)")
    List<Integer> irqmodes = List.of(0, 1);

    @Option(names = "--memory-backed", description = "memory_backed=1 devices (default: ${DEFAULT-VALUE})")
    boolean memoryBacked;

    @Option(names = "--output-format", description = "text or json (default: ${DEFAULT-VALUE})")
    String format = "text";

    private PrintStream out = System.out;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        AtomicsMain m = new AtomicsMain();
        m.out = out;
        return Cli.execute(m, "jblk atomics", args, out, err);
    }

    /** One row: a variant at one irqmode, its atomics per request by site. */
    static final class Row {
        final String variant;
        final int irqmode;
        final double[] perRequest;

        Row(String variant, int irqmode, double[] perRequest) {
            this.variant = variant;
            this.irqmode = irqmode;
            this.perRequest = perRequest;
        }

        double total() {
            double t = 0;
            for (double d : perRequest) {
                t += d;
            }
            return t;
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if (requests < 1 || requests > 10_000_000) {
            throw new IllegalArgumentException("--requests=" + requests + " is out of range: allowed 1..10000000");
        }
        if (!format.equals("text") && !format.equals("json")) {
            throw new IllegalArgumentException("--output-format=" + format + ": allowed text, json");
        }
        for (int irq : irqmodes) {
            if (irq != 0 && irq != 1) {
                throw new IllegalArgumentException("--irqmode=" + irq + " is out of range: allowed 0, 1");
            }
        }
        if (!AtomicTally.ON) {
            throw new IllegalArgumentException(
                    "counting is off: run with -Djblk.countAtomics=true (./jblk atomics sets it)");
        }
        List<Row> rows = new ArrayList<>();
        for (int irq : irqmodes) {
            for (String v : VARIANTS) {
                rows.add(new Row(v, irq, count(v, irq)));
            }
        }
        out.print(format.equals("json") ? json(rows) : text(rows));
        return 0;
    }

    private String config(int irq) {
        return "iostats=0 poll_queues=0 submit_queues=1 irqmode=" + irq
                + (memoryBacked ? " memory_backed=1 size=16" : "");
    }

    /** Atomics per request by site: a warm-up, then {@link #requests} reads at queue depth 1. */
    private double[] count(String variant, int irq) throws InterruptedException {
        DriverKind d = variant.equals("raw") ? DriverKind.RAW : DriverKind.SAFE;
        Ownership o = variant.equals("raw") ? Ownership.OFF : Ownership.parse(variant);
        try (NullBlkModule m = NullBlkModule.load(config(irq), d, o)) {
            GenDisk disk = m.device(0).disk();
            disk.setScheduler("none");
            Semaphore done = new Semaphore(0);
            Bio bio = new Bio().set(ReqOp.READ, 0, 4096, ByteBuffer.allocateDirect(4096), 0, 0, b -> done.release());
            long blocks = (disk.capacity() << 9) / 4096;
            try (SwQueue q = disk.openQueue()) {
                io(q, bio, done, blocks, Math.min(requests, 2_000));
                long[] before = AtomicTally.snapshot();
                io(q, bio, done, blocks, requests);
                long[] after = AtomicTally.snapshot();
                double[] per = new double[before.length];
                for (int i = 0; i < per.length; i++) {
                    per[i] = (after[i] - before[i]) / (double) requests;
                }
                return per;
            }
        }
    }

    private static void io(SwQueue q, Bio bio, Semaphore done, long blocks, int n) throws InterruptedException {
        for (int i = 0; i < n; i++) {
            q.submitBio(bio.sector((i % blocks) << 3));
            done.acquire();
            if (bio.status() != BlkStatus.OK) {
                throw new IllegalStateException("read " + i + " ended " + bio.status());
            }
        }
    }

    private String text(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        List<Integer> used = usedSites(rows);
        for (int irq : irqmodes) {
            sb.append(String.format(Locale.ROOT, "atomics per request, null_blk %s, %d requests at queue depth 1%n",
                    config(irq), requests));
            sb.append(String.format(Locale.ROOT, "%-11s %6s %6s", "variant", "total", "vs off"));
            for (int s : used) {
                sb.append(String.format(Locale.ROOT, " %9s", AtomicTally.name(s)));
            }
            sb.append('\n');
            double off = rows.stream().filter(r -> r.irqmode == irq && r.variant.equals("off")).findFirst()
                    .orElseThrow().total();
            for (Row r : rows) {
                if (r.irqmode != irq) {
                    continue;
                }
                sb.append(String.format(Locale.ROOT, "%-11s %6.2f %+6.2f", r.variant, r.total(), r.total() - off));
                for (int s : used) {
                    sb.append(String.format(Locale.ROOT, " %9.2f", r.perRequest[s]));
                }
                sb.append('\n');
            }
            sb.append('\n');
        }
        sb.append("""
                Counted by AtomicTally (blockcore): CAS and other RMWs on the request, its tag, the token,
                hazard slots, hw/sw queue state and the completion list, and full fences; not counted: the
                sbitmap library's retries and deferred clears, the JDK's own atomics (locks, LongAdder, parking).
                """);
        return sb.toString();
    }

    private static List<Integer> usedSites(List<Row> rows) {
        List<Integer> used = new ArrayList<>();
        for (int s = 0; s < AtomicTally.sites(); s++) {
            for (Row r : rows) {
                if (r.perRequest[s] >= 0.005) {
                    used.add(s);
                    break;
                }
            }
        }
        return used;
    }

    private String json(List<Row> rows) {
        JsonWriter j = new JsonWriter().beginObject().field("requests", requests)
                .field("memory_backed", memoryBacked ? 1 : 0).beginArray("rows");
        for (Row r : rows) {
            j.beginObject().field("variant", r.variant).field("irqmode", r.irqmode).field("total", r.total())
                    .beginObject("sites");
            for (int s = 0; s < AtomicTally.sites(); s++) {
                j.field(AtomicTally.name(s), r.perRequest[s]);
            }
            j.endObject().endObject();
        }
        return j.endArray().endObject().toString() + "\n";
    }
}
