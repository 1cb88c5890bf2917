package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import jblk.json.Json;
import jblk.nullblk.DriverKind;
import jblk.safety.Ownership;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * fio's nbd engine, randwrite with verify=crc32c at iodepth 32 from 2 jobs (separate halves, so
 * verification is sound), then a read-back of every block: pipelined requests, out-of-order
 * replies, three connections (fio's probe plus one per job).
 */
@Timeout(120)
class FioVerifyTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void tools() {
        Tools.require("fio", "fio");
    }

    @ParameterizedTest(name = "{0} driver, ownership {1}, {2}, polling {3} us")
    @CsvSource({
        "SAFE, GENERATION, irqmode=1 submit_queues=2,       50",
        "RAW,  OFF,     irqmode=0,                       50",
        "SAFE, OFF,     irqmode=2 completion_nsec=20000, 0"})
    void randwriteVerifyPasses(DriverKind driver, Ownership own, String irq, long spinUs) throws Exception {
        NbdServer.Options options = NbdServer.Options.defaults().withSpin(SpinPolicy.of(spinUs * 1000));
        try (Served s = Served.start("memory_backed=1 size=64 " + irq, driver, own, "", false, options)) {
            Path job = tmp.resolve("verify.fio");
            Files.writeString(job, String.join("\n",
                    "[global]",
                    "ioengine=nbd",
                    "uri=" + s.uri(),
                    "rw=randwrite",
                    "bs=4k",
                    "iodepth=32",
                    "numjobs=2",
                    "size=32M",
                    "offset_increment=32M",
                    "verify=crc32c",
                    "verify_fatal=1",
                    "do_verify=1",
                    "verify_state_save=0",
                    "[verifyjob]", ""));
            Path out = tmp.resolve("out.json");
            Tools.Result r = Tools.run(Duration.ofSeconds(90), tmp,
                    List.of("fio", "--output-format=json", "--output=" + out, job.toString()));
            r.ok();
            Object json = Json.parseToolOutput(Files.readString(out));
            List<?> jobs = (List<?>) Json.at(json, "jobs");
            assertEquals(2, jobs.size());
            for (int i = 0; i < 2; i++) {
                assertEquals(0.0, Json.number(json, "jobs", i, "error"), "job " + i + " error");
                assertEquals(8192.0, Json.number(json, "jobs", i, "write", "total_ios"), "job " + i + " writes");
                assertEquals(8192.0, Json.number(json, "jobs", i, "read", "total_ios"), "job " + i + " verify reads");
            }
            s.assertIdle();
        }
    }
}
