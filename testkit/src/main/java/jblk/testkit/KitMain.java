package jblk.testkit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import jblk.blockcore.ReqOp;
import jblk.safety.Ownership;

/**
 * {@code ./jblk torture --driver-class com.example.MyDriver --classpath my.jar [...]}: runs the
 * kit's passes on a driver from outside jblk and prints the report; exits 0 when every check
 * passed, 1 when one failed, 2 on a usage error. Options parsed by hand: the kit adds no
 * dependency to the drivers that use it.
 */
public final class KitMain {
    static final String USAGE = """
            usage: ./jblk torture --driver-class CLASS [--classpath JARS] [options]
              --driver-class CLASS  an Operations implementation (public constructor (long bytes), (int bytes)
                                    or ()) or a jblk.testkit.DriverFactory (public no-argument constructor)
              --classpath JARS      jars and class directories holding it, ':'-separated
              --ops LIST            ops the driver serves, of read,write,flush,discard,write-zeroes
                                    (default read,write,flush)
              --seed N              replay a run (default: random, printed)
              --ios N               I/Os per submitter and pass (1..10000000, default 1500)
              --submitters N        submitting threads (1..16, default 3)
              --hw-queues N         hardware queues (1..16, default 2)
              --queue-depth N       tags per hw queue (2..1024, default 16)
              --passes LIST         of data,faults,buggy-wrapper (default all)
              --ownership MODE      checked, debug or off (default checked; off skips buggy-wrapper)
            """;

    private KitMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** Runs with {@code args}; returns the exit status (0 passed, 1 a check failed, 2 usage). */
    public static int run(String[] args, PrintStream out) {
        String driverClass = null;
        String classpath = null;
        List<String> replay = new ArrayList<>();
        KitConfig.Builder b = KitConfig.builder();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--help") || a.equals("-h")) {
                    out.print(USAGE);
                    return 0;
                }
                if (!a.startsWith("--")) {
                    throw new IllegalArgumentException("unexpected argument '" + a + "'");
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                switch (a) {
                    case "--driver-class" -> driverClass = v;
                    case "--classpath" -> classpath = v;
                    case "--ops" -> b.ops(ops(v));
                    case "--seed" -> b.seed(number(a, v));
                    case "--ios" -> b.iosPerSubmitter((int) number(a, v));
                    case "--submitters" -> b.submitters((int) number(a, v));
                    case "--hw-queues" -> b.hwQueues((int) number(a, v));
                    case "--queue-depth" -> b.queueDepth((int) number(a, v));
                    case "--passes" -> b.passes(passes(v));
                    case "--ownership" -> b.ownership(Ownership.parse(v));
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
                if (!a.equals("--seed")) {
                    replay.add(a);
                    replay.add(v);
                }
            }
            if (driverClass == null) {
                throw new IllegalArgumentException("--driver-class is required");
            }
            b.driverName(driverClass);
            KitConfig c = b.build();
            DriverFactory f = DriverLoader.load(driverClass, classpath);
            out.println("rerun: ./jblk torture " + String.join(" ", replay) + " --seed " + c.seed());
            KitReport r = DriverKit.run(f, c);
            out.print(r.text());
            return r.passed() ? 0 : 1;
        } catch (IllegalArgumentException | IllegalStateException e) {
            out.println("jblk torture: " + e.getMessage());
            out.print(USAGE);
            return 2;
        }
    }

    private static long number(String opt, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " '" + v + "' is not a number");
        }
    }

    private static ReqOp[] ops(String v) {
        List<ReqOp> out = new ArrayList<>();
        for (String s : v.split(",")) {
            String n = s.trim().toUpperCase(Locale.ROOT).replace('-', '_');
            try {
                out.add(ReqOp.valueOf(n));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--ops '" + s + "' is unknown: allowed read, write, flush, discard,"
                        + " write-zeroes");
            }
        }
        return out.toArray(new ReqOp[0]);
    }

    private static Pass[] passes(String v) {
        Set<Pass> out = EnumSet.noneOf(Pass.class);
        for (String s : v.split(",")) {
            Pass found = null;
            for (Pass p : Pass.values()) {
                if (p.label().equalsIgnoreCase(s.trim())) {
                    found = p;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("--passes '" + s
                        + "' is unknown: allowed data, faults, buggy-wrapper");
            }
            out.add(found);
        }
        return out.toArray(new Pass[0]);
    }
}
