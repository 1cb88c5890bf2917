package jblk.bench;

import static jblk.bench.BenchMainTest.bench;
import static jblk.bench.BenchMainTest.json;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import jblk.bench.BenchMainTest.Outcome;
import jblk.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code ./jblk bench} on several devices: fio's {@code --filename} picks the device(s), null_blk's
 * {@code nr_devices} makes them, {@code --nullbN} gives one device attributes of its own.
 */
class MultiDeviceBenchTest {

    @Test
    void jobsRunOnTheDevicesTheirFilenameNames() {
        Outcome r = bench("--rw=randread", "--bs=4k", "--iodepth=4", "--numjobs=2", "--size=256k",
                "--nullb", "nr_devices=2 shared_tags=1 gb=1 irqmode=0 poll_queues=0",
                "--nullb1", "irqmode=2 completion_nsec=200000",
                "--filename=/dev/nullb0:/dev/nullb1");
        assertEquals(0, r.status(), r.err());
        String out = r.out();
        assertTrue(out.lines().anyMatch(l -> l.startsWith("nullb0:") && l.contains("; jobs 0")), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("nullb1:") && l.contains("completion_nsec=200000")
                && l.contains("irqmode=2") && l.contains("; jobs 1")), out);
        assertTrue(out.contains("Disk stats (read/write):"), out);
        for (String dev : List.of("nullb0", "nullb1")) {
            String line = out.lines().filter(l -> l.startsWith("  " + dev + ": ios=")).findFirst()
                    .orElseGet(() -> fail(dev + " has no disk stats line:\n" + out));
            assertTrue(line.contains("ios=64/0"), "each job read its 256k once on its own device: " + line);
        }
    }

    @Test
    void oneNamedDeviceTakesEveryJob() {
        Outcome r = bench("--rw=read", "--size=64k", "--numjobs=2", "--output-format=json",
                "--nullb=nr_devices=3 gb=1 poll_queues=0", "--filename=nullb2");
        assertEquals(0, r.status(), r.err());
        Map<String, Object> top = json(r);
        assertEquals("nullb2", Json.obj(top.get("global options")).get("filename"));
        List<Object> jobs = Json.arr(top.get("jobs"));
        assertEquals(2, jobs.size());
        String device = String.valueOf(Json.obj(Json.obj(jobs.get(0)).get("jblk")).get("device"));
        assertTrue(device.startsWith("nullb2:") && !device.contains("nullb0"), device);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "--filename=/dev/nullb2|--filename=/dev/nullb2: '/dev/nullb2' is not a device of this run:"
                + " allowed /dev/nullb0../dev/nullb1",
        "--filename=/dev/sda|'/dev/sda' is not a device of this run",
        "--nullb3=irqmode=1|--nullb3 does not exist: nr_devices=2 gives nullb0..nullb1",
        "--nullb1=hw_queue_depth=8|--nullb1: hw_queue_depth is a module-wide parameter (shared_tags=1",
        "--nullb1=irqmode=9|--nullb1: irqmode=9 is out of range: allowed 0..2",
        "--nullb1=discard=1|--nullb1: discard=1 needs memory_backed=1",
        "--nullb1|--nullb1 needs a value"})
    void badDeviceOptionsGiveOneClearMessage(String arg, String message) {
        Outcome r = bench("--size=64k", "--nullb=nr_devices=2 shared_tags=1 gb=1 poll_queues=0", arg);
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains(message), () -> "expected '" + message + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), () -> "one line: " + r.err());
        assertEquals("", r.out());
    }

    @Test
    void aSmallerSecondDeviceIsNamedInTheError() {
        Outcome r = bench("--size=2m", "--nullb=nr_devices=2 gb=1 poll_queues=0", "--nullb1=size=1",
                "--filename=/dev/nullb0:/dev/nullb1");
        assertEquals(2, r.status(), r.err());
        assertTrue(r.err().contains("nullb1's capacity"), r.err());
    }
}
