package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import jblk.json.Json;
import org.junit.jupiter.api.Test;

/** The comparison's arithmetic and verdicts on known numbers (no timing involved). */
class CompareReportTest {
    static final Map<String, CompareWorkload> ALL = CompareWorkload.all(64);

    static CompareReport report(List<String> workloads) {
        List<CompareWorkload> ws = workloads.stream().map(ALL::get).toList();
        return new CompareReport(ws, List.of(Variant.values()), 0.5, 3, Map.of("cpu", "test", "cores", "2"));
    }

    static void add(CompareReport r, String w, Variant v, double... iops) {
        for (double x : iops) {
            r.add(ALL.get(w), v, new CompareReport.Run(x, (long) (x / 2), 1000, 0, "0"));
        }
    }

    @Test
    void mediansSpreadsAndOverheads() {
        CompareReport r = report(List.of("irqmode=1"));
        add(r, "irqmode=1", Variant.RAW, 1_000_000, 1_100_000, 900_000);
        add(r, "irqmode=1", Variant.OFF, 990_000, 1_000_000, 1_010_000);
        add(r, "irqmode=1", Variant.CHECKED, 985_000, 975_000, 980_000);
        add(r, "irqmode=1", Variant.DEBUG, 100_000, 110_000, 90_000);
        CompareReport.Cell off = r.cell(ALL.get("irqmode=1"), Variant.OFF);
        assertEquals(1_000_000, off.median());
        assertEquals(990_000, off.min());
        assertEquals(1_010_000, off.max());
        assertEquals(2.0, off.spreadPct(), 1e-9);
        assertEquals(2.0, r.overheadPct(ALL.get("irqmode=1"), Variant.CHECKED, Variant.OFF), 1e-9);
        assertEquals(0.0, r.overheadPct(ALL.get("irqmode=1"), Variant.OFF, Variant.RAW), 1e-9);
        String v = r.verdicts().get(0);
        assertTrue(v.startsWith("irqmode=1: checked costs 2.0% vs off (target <= 2%, aim 1%): OK"), v);
        assertTrue(v.contains("off costs 0.0% vs raw (within the 20.0% run-to-run spread: inconclusive)"), v);
    }

    @Test
    void missedTargetsSayMissed() {
        CompareReport r = report(List.of("irqmode=0", "irqmode=0-2jobs", "mb-randread"));
        add(r, "irqmode=0", Variant.RAW, 20e6);
        add(r, "irqmode=0", Variant.OFF, 20e6);
        add(r, "irqmode=0", Variant.CHECKED, 1e9 / 60.0); // 50 ns -> 60 ns: +10 ns > one atomic
        add(r, "irqmode=0-2jobs", Variant.RAW, 30e6); // 1.5x one job
        add(r, "mb-randread", Variant.OFF, 1e6);
        add(r, "mb-randread", Variant.CHECKED, 0.97e6);
        List<String> v = r.verdicts();
        assertTrue(v.get(0).contains("+10.0 ns/request (target <= one atomic, ~4.5 ns): MISSED"), v.get(0));
        assertTrue(v.get(0).contains("raw 50.0 ns/request with the job's own work (target < 35 ns for the block layer alone"), v.get(0));
        assertTrue(v.get(1).contains("raw 2 jobs = 1.50x 1 job (target >= 1.8x): MISSED"), v.get(1));
        assertTrue(v.get(2).contains("checked costs 3.0% vs off (target <= 2%, aim 1%): MISSED"), v.get(2));
    }

    @Test
    void jsonHasTheIssuesFieldsAndNullForMissingVariants() {
        CompareReport r = new CompareReport(List.of(ALL.get("irqmode=1")), List.of(Variant.OFF, Variant.CHECKED), 0.5, 1,
                Map.of("cores", "2"));
        add(r, "irqmode=1", Variant.OFF, 2e6);
        add(r, "irqmode=1", Variant.CHECKED, 1.5e6);
        Map<String, Object> top = Json.obj(Json.parse(r.json()));
        Map<String, Object> ov = Json.obj(Json.arr(top.get("overhead")).get(0));
        assertEquals(25.0, Json.num(ov.get("checked_vs_off_pct")), 1e-9);
        assertNull(ov.get("off_vs_raw_pct"), "no raw variant was run");
        assertTrue(ov.containsKey("off_vs_raw_pct"));
        Map<String, Object> res = Json.obj(Json.arr(top.get("results")).get(1));
        assertEquals("checked", res.get("variant"));
        assertEquals(1.5e6, Json.num(res.get("iops_median")), 1e-6);
        assertEquals(1000.0, res.get("p99_clat_ns"));
        assertEquals(0.0, res.get("alloc_bytes_per_io"));
        assertEquals(2.0, Json.obj(top.get("machine")).get("cores"));
    }
}
