package jblk.bench;

import static jblk.bench.BenchMainTest.bench;
import static jblk.bench.BenchMainTest.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import jblk.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code ./jblk bench --zonemode=zbd}: fio's zoned randwrite on a zoned null_blk, verified. */
class ZbdBenchTest {

    @ParameterizedTest
    @CsvSource({"raw,off,randwrite", "safe,checked,randwrite", "safe,checked,write"})
    void zbdWriteVerifiesAndTheZoneReportMatches(String driver, String own, String rw) {
        BenchMainTest.Outcome r = bench("--zonemode=zbd", "--rw=" + rw, "--bs=4k", "--iodepth=32", "--verify=crc32c",
                "--nullb", "zoned=1 size=64 zone_size=4 zone_max_open=3 memory_backed=1 irqmode=1 poll_queues=0",
                "--driver=" + driver, "--ownership=" + own);
        assertEquals(0, r.status(), r.err() + r.out());
        assertTrue(r.out().contains("zone write pointers vs what the jobs wrote: 16 zones")
                && r.out().contains("all match"),
                r.out());
        assertTrue(r.out().contains("max_open_zones 3"), "the device's limit is the default: " + r.out());
        assertTrue(r.out().contains("zcond:14(fu)"), r.out());
    }

    @Test
    void timeBasedZbdRunResetsFullZonesAndGoesOn() {
        BenchMainTest.Outcome r = bench("--zonemode=zbd", "--rw=randwrite", "--bs=4k", "--iodepth=16", "--runtime=2",
                "--time_based", "--size=8m", "--nullb", "zoned=1 size=64 zone_size=4 zone_max_open=2 irqmode=1",
                "--output-format=json");
        assertEquals(0, r.status(), r.err());
        Map<String, Object> job = Json.obj(Json.arr(json(r).get("jobs")).get(0));
        assertEquals(0.0, job.get("error"));
        double ios = Json.num(Json.obj(job.get("write")).get("total_ios"));
        // The region is two zones (2048 blocks) and two may be open: writing more than one filling
        // needs a reset. One filling, not a rate: under load a 1 s run wrote only 4073 blocks.
        assertTrue(ios > 2048, "more than one filling of the 8 MiB region: " + ios);
    }

    @Test
    void zoneResetFrequencyResetsZonesPastTheThreshold() {
        BenchMainTest.Outcome r = bench("--zonemode=zbd", "--rw=randwrite", "--bs=4k", "--iodepth=4", "--size=16m",
                "--zone_reset_threshold=0.1", "--zone_reset_frequency=0.01", "--verify=md5",
                "--nullb", "zoned=1 size=64 zone_size=4 memory_backed=1 irqmode=0");
        assertEquals(0, r.status(), r.err() + r.out());
        assertTrue(r.out().contains("all match"), r.out());
    }

    @Test
    void zbdOptionsAreRefusedWithAClearMessage() {
        BenchMainTest.Outcome r = bench("--zonemode=zbd", "--nullb", "size=64");
        assertEquals(2, r.status());
        assertTrue(r.err().contains("--zonemode=zbd needs a zoned device: add zoned=1"), r.err());
        r = bench("--max_open_zones=4", "--nullb", "size=64");
        assertTrue(r.err().contains("need --zonemode=zbd"), r.err());
        r = bench("--zonemode=strided", "--nullb", "size=64");
        assertTrue(r.err().contains("--zonemode=strided is invalid: allowed none, zbd"), r.err());
        r = bench("--zonemode=zbd", "--zone_reset_threshold=2", "--nullb", "zoned=1 size=64 zone_size=4");
        assertTrue(r.err().contains("--zone_reset_threshold=2.0 is out of range: allowed 0..1"), r.err());
        r = bench("--zonemode=zbd", "--size=1m", "--nullb", "zoned=1 size=64 zone_size=4");
        assertTrue(r.err().contains("holds no whole zone"), r.err());
    }
}
