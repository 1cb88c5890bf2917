package jblk.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jblk.json.Json;

/**
 * The cost table of docs/OWNERSHIP.md from a JMH result file ({@code -rf json}) of
 * {@code NullBlkBench.oneJob} over the ownership strategies: ns per request, the difference to
 * {@code off} with its error, B/op, and issue 11's targets checked (hpref at most a third of
 * refcount's cost, owned within 1 ns, no allocation). Part of {@code ./jblk ownership-report}.
 */
public final class OwnershipCostTable {
    /** Below this a B/op figure is JMH's own noise (its counters allocate a little), not a handle. */
    static final double ZERO_BYTES = 1.0;

    private OwnershipCostTable() {
    }

    /** One JMH result: a strategy at one irqmode and memory_backed. */
    static final class Cell {
        final String ownership;
        final int irqmode;
        final int memoryBacked;
        final double ns;
        final double nsError;
        final double bytes;

        Cell(String ownership, int irqmode, int memoryBacked, double ns, double nsError, double bytes) {
            this.ownership = ownership;
            this.irqmode = irqmode;
            this.memoryBacked = memoryBacked;
            this.ns = ns;
            this.nsError = Double.isNaN(nsError) ? 0 : nsError;
            this.bytes = bytes;
        }

        String config() {
            return "irqmode=" + irqmode + " memory_backed=" + memoryBacked;
        }
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: OwnershipCostTable JMH_RESULT.json");
            System.exit(2);
        }
        System.out.print(table(Files.readString(Path.of(args[0]), StandardCharsets.UTF_8)));
    }

    /** The Markdown table and the targets' verdicts for a JMH JSON result. */
    static String table(String jmhJson) {
        List<Cell> cells = new ArrayList<>();
        double cas = Double.NaN;
        for (Object o : Json.arr(Json.parse(jmhJson))) {
            Map<String, Object> r = Json.obj(o);
            String bench = (String) r.get("benchmark");
            Map<String, Object> primary = Json.obj(r.get("primaryMetric"));
            if (bench.endsWith("FloorBench.cas")) {
                cas = nsPerOp(Json.num(primary.get("score")), (String) primary.get("scoreUnit"));
                continue;
            }
            if (!bench.endsWith("NullBlkBench.oneJob")) {
                continue;
            }
            Map<String, Object> p = Json.obj(r.get("params"));
            if (!"safe".equals(p.get("driver"))) {
                continue;
            }
            Map<String, Object> secondary = Json.obj(r.get("secondaryMetrics"));
            Object gc = secondary.get("gc.alloc.rate.norm");
            if (gc == null) {
                gc = secondary.get("·gc.alloc.rate.norm"); // JMH before 1.37 prefixed a dot
            }
            double bytes = gc == null ? Double.NaN : Json.num(Json.obj(gc).get("score"));
            double score = Json.num(primary.get("score"));
            String unit = (String) primary.get("scoreUnit");
            double ns = nsPerOp(score, unit);
            Object err = primary.get("scoreError");
            double e = err instanceof Number ? Json.num(err) : Double.NaN;
            double nsError = "ns/op".equals(unit) ? e : ns * e / score; // relative error carries over 1/x
            cells.add(new Cell(strategy((String) p.get("ownership")), Integer.parseInt((String) p.get("irqmode")),
                    Integer.parseInt((String) p.get("memory_backed")), ns, nsError, bytes));
        }
        return render(cells, cas);
    }

    /** A JMH score in ns per operation: FloorBench reports ns/op, NullBlkBench ops/us. */
    static double nsPerOp(double score, String unit) {
        if ("ns/op".equals(unit)) {
            return score;
        }
        if ("ops/us".equals(unit)) {
            return 1000.0 / score;
        }
        throw new IllegalArgumentException("JMH score unit " + unit + ": allowed ns/op, ops/us");
    }

    /** checked is generation's old name; the table uses the new one. */
    private static String strategy(String s) {
        return s.equals("checked") ? "generation" : s;
    }

    private static String render(List<Cell> cells, double cas) {
        Map<String, Cell> off = new LinkedHashMap<>();
        for (Cell c : cells) {
            if (c.ownership.equals("off")) {
                off.put(c.config(), c);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append("| ownership | irqmode | memory_backed | ns/request | over off (ns) | B/op |\n");
        sb.append("|---|---|---|---|---|---|\n");
        for (Cell c : cells) {
            Cell base = off.get(c.config());
            String over = base == null || c == base ? "-"
                    : String.format(Locale.ROOT, "%+.1f ± %.1f", c.ns - base.ns, Math.hypot(c.nsError, base.nsError));
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %.1f ± %.1f | %s | %.1f |%n", c.ownership,
                    c.irqmode, c.memoryBacked, c.ns, c.nsError, over, c.bytes));
        }
        if (!Double.isNaN(cas)) {
            sb.append(String.format(Locale.ROOT, "%nFloorBench.cas (one uncontended CAS): %.2f ns%n", cas));
        }
        sb.append('\n').append(targets(cells, off));
        return sb.toString();
    }

    /** Issue 11's targets, at irqmode 0 without memory backing, and no allocation anywhere. */
    private static String targets(List<Cell> cells, Map<String, Cell> off) {
        StringBuilder sb = new StringBuilder("Targets (irqmode=0 memory_backed=0, over off):\n");
        Cell base = off.get("irqmode=0 memory_backed=0");
        Cell refcount = find(cells, "refcount");
        Cell hpref = find(cells, "hpref");
        Cell owned = find(cells, "owned");
        if (base != null && refcount != null && hpref != null) {
            double r = refcount.ns - base.ns;
            double h = hpref.ns - base.ns;
            String verdict = r <= 0 ? "inconclusive (refcount measured no cost over off)"
                    : h <= r / 3 ? "met" : "MISSED";
            sb.append(String.format(Locale.ROOT, "- hpref at most a third of refcount: hpref %+.1f ns,"
                    + " refcount %+.1f ns: %s%n", h, r, verdict));
        }
        if (base != null && owned != null) {
            double o = owned.ns - base.ns;
            sb.append(String.format(Locale.ROOT, "- owned within 1 ns: %+.1f ns: %s%n", o,
                    o <= 1.0 ? "met" : "MISSED"));
        }
        List<String> allocating = new ArrayList<>();
        for (Cell c : cells) {
            if (!(c.bytes < ZERO_BYTES)) {
                allocating.add(String.format(Locale.ROOT, "%s at %s: %.1f B/op", c.ownership, c.config(), c.bytes));
            }
        }
        sb.append("- 0 B/op everywhere: ").append(allocating.isEmpty() ? "met" : "MISSED (" + String.join("; ",
                allocating) + ")").append('\n');
        return sb.toString();
    }

    private static Cell find(List<Cell> cells, String ownership) {
        for (Cell c : cells) {
            if (c.ownership.equals(ownership) && c.irqmode == 0 && c.memoryBacked == 0) {
                return c;
            }
        }
        return null;
    }
}
