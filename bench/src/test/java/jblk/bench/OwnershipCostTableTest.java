package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The cost table reads JMH's JSON as JMH writes it and checks issue 11's targets from the numbers. */
class OwnershipCostTableTest {
    /** One JMH result object, as {@code -rf json} writes it (the fields the table reads). */
    private static String result(String ownership, int irqmode, double opsPerUs, double bytes) {
        return String.format(Locale.ROOT, "{\"benchmark\": \"jblk.bench.jmh.NullBlkBench.oneJob\", \"params\": {"
                + "\"driver\": \"safe\", \"ownership\": \"%s\", \"irqmode\": \"%d\", \"memory_backed\": \"0\"},"
                + " \"primaryMetric\": {\"score\": %s, \"scoreError\": 0.1, \"scoreUnit\": \"ops/us\"},"
                + " \"secondaryMetrics\": {\"gc.alloc.rate.norm\": {\"score\": %s, \"scoreUnit\": \"B/op\"}}}",
                ownership, irqmode, opsPerUs, bytes);
    }

    @Test
    void differencesToOffAndTheTargets() {
        String json = "[" + String.join(",", result("off", 0, 25.0, 0.01), result("refcount", 0, 1000 / 44.0, 0.01),
                result("checked", 0, 1000 / 43.0, 0.01), result("hpref", 0, 1000 / 42.0, 0.01),
                result("owned", 0, 1000 / 40.5, 0.01), result("off", 1, 2.0, 0.01), result("owned", 1, 2.0, 24.0))
                + ", {\"benchmark\": \"jblk.bench.jmh.FloorBench.cas\", \"params\": {},"
                + " \"primaryMetric\": {\"score\": 2.5, \"scoreError\": 0.1, \"scoreUnit\": \"ns/op\"},"
                + " \"secondaryMetrics\": {}}]";
        String t = OwnershipCostTable.table(json);
        assertTrue(t.contains("| refcount | 0 | 0 | 44.0 ± "), t);
        assertTrue(t.contains("| +4.0 ± "), t);
        assertTrue(t.contains("| generation | 0 | 0 | 43.0"), "checked is reported as generation:\n" + t);
        assertTrue(t.contains("one uncontended CAS): 2.50 ns"), t);
        assertTrue(t.contains("hpref +2.0 ns, refcount +4.0 ns: MISSED"), "2 > 4/3:\n" + t);
        assertTrue(t.contains("owned within 1 ns: +0.5 ns: met"), t);
        assertTrue(t.contains("MISSED (owned at irqmode=1 memory_backed=0: 24.0 B/op)"), t);
    }

    @Test
    void aScoreUnitItCannotConvertIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OwnershipCostTable.nsPerOp(3.0, "us/op"));
        assertEquals("JMH score unit us/op: allowed ns/op, ops/us", e.getMessage());
    }
}
