package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import jblk.json.Json;
import jblk.nullblk.DriverKind;
import jblk.safety.Ownership;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** nbdinfo (libnbd-bin) against the in-process server: size, block sizes, flags, list, map. */
@Timeout(60)
class NbdInfoTest {
    private static final Duration T = Duration.ofSeconds(30);

    @BeforeAll
    static void tools() {
        Tools.require("nbdinfo", "libnbd-bin");
    }

    private static Map<?, ?> export(Object json) {
        List<?> exports = (List<?>) Json.at(json, "exports");
        assertEquals(1, exports.size(), "one export");
        return (Map<?, ?>) exports.get(0);
    }

    @Test
    void showsSizeBlockSizesAndFlags() throws Exception {
        try (Served s = Served.start("memory_backed=1 size=64 discard=1 irqmode=0")) {
            Tools.Result r = Tools.run(T, "nbdinfo", "--json", s.uri()).ok();
            Map<?, ?> e = export(Json.parseToolOutput(r.out()));
            assertEquals(64.0 * 1024 * 1024, Json.number(e, "export-size"));
            assertEquals(512.0, Json.number(e, "block_size_minimum"));
            assertEquals(4096.0, Json.number(e, "block_size_preferred"));
            assertEquals((double) NbdExport.MAX_REQUEST, Json.number(e, "block_size_maximum"));
            assertEquals(false, e.get("is_read_only"));
            assertEquals(true, e.get("can_multi_conn"));
            assertEquals(true, e.get("can_flush"));
            assertEquals(true, e.get("can_fua"));
            assertEquals(true, e.get("can_trim"), "discard=1 gives TRIM");
            assertEquals(true, e.get("can_zero"), "memory_backed gives WRITE_ZEROES");
            assertEquals(List.of("base:allocation"), e.get("contexts"));
            assertEquals(true, Json.at(Json.parseToolOutput(r.out()), "structured"));
            // The human-readable form too.
            String text = Tools.run(T, "nbdinfo", s.uri()).ok().out();
            assertTrue(text.contains("export-size: 67108864"), text);
            assertTrue(text.contains("block_size_minimum: 512"), text);
        }
    }

    @Test
    void fourKiBDiskReadOnlyNamedExport() throws Exception {
        try (Served s = Served.start("memory_backed=1 size=16 bs=4096", DriverKind.RAW, Ownership.OFF,
                "disk one", true)) {
            assertTrue(s.uri().contains("disk%20one"), s.uri());
            Map<?, ?> e = export(Json.parseToolOutput(Tools.run(T, "nbdinfo", "--json", s.uri()).ok().out()));
            assertEquals(16.0 * 1024 * 1024, Json.number(e, "export-size"));
            assertEquals(4096.0, Json.number(e, "block_size_minimum"), "minimum = logical block size");
            assertEquals(true, e.get("is_read_only"));
            assertEquals(false, e.get("can_trim"));
            assertEquals(false, e.get("can_zero"));
            assertEquals(false, e.get("can_fua"));
            // LIST shows the name and the description.
            Object list = Json.parseToolOutput(Tools.run(T, "nbdinfo", "--list", "--json", s.uri()).ok().out());
            Map<?, ?> le = export(list);
            assertEquals("disk one", le.get("export-name"));
            assertEquals("test disk nullb0", le.get("description"));
            // An export that does not exist is refused with NBD_REP_ERR_UNKNOWN.
            Tools.Result bad = Tools.run(T, "nbdinfo", "nbd+unix:///other?socket=" + s.socket());
            assertTrue(bad.exit() != 0, bad.toString());
        }
    }

    @Test
    void mapShowsDataAndHoles() throws Exception {
        try (Served s = Served.start("memory_backed=1 size=64 irqmode=1")) {
            // A fresh disk is one hole.
            Object fresh = Json.parseToolOutput(Tools.run(T, "nbdinfo", "--map", "--json", s.uri()).ok().out());
            assertEquals(1, ((List<?>) fresh).size(), fresh.toString());
            assertEquals(3.0, Json.number(fresh, 0, "type"));
            // Write 1 MiB at 1 MiB and 4 KiB at 40 MiB.
            try (RawClient c = RawClient.open(s.socket(), true, false)) {
                assertEquals(0, c.write(1, 1 << 20, new byte[1 << 20]).error());
                byte[] page = new byte[4096];
                page[7] = 1;
                assertEquals(0, c.write(2, 40 << 20, page).error());
                c.disc();
            }
            Object map = Json.parseToolOutput(Tools.run(T, "nbdinfo", "--map", "--json", s.uri()).ok().out());
            List<?> l = (List<?>) map;
            assertEquals(5, l.size(), map.toString());
            long[][] want = {
                {0, 1 << 20, 3}, {1 << 20, 1 << 20, 0}, {2 << 20, 38 << 20, 3}, {40 << 20, 4096, 0},
                {(40 << 20) + 4096, (64 << 20) - (40 << 20) - 4096, 3}};
            for (int i = 0; i < want.length; i++) {
                assertEquals((double) want[i][0], Json.number(map, i, "offset"), "extent " + i + " offset: " + map);
                assertEquals((double) want[i][1], Json.number(map, i, "length"), "extent " + i + " length: " + map);
                assertEquals((double) want[i][2], Json.number(map, i, "type"), "extent " + i + " type: " + map);
            }
            // A WRITE_ZEROES without NO_HOLE punches the hole again (qemu-io's write -z).
            if (Tools.find("qemu-io") != null) {
                Tools.run(T, "qemu-io", "-f", "raw", "-c", "write -z -u 40M 4k", s.uri()).ok();
                Object after = Json.parseToolOutput(Tools.run(T, "nbdinfo", "--map", "--json", s.uri()).ok().out());
                assertEquals(3, ((List<?>) after).size(), after.toString());
            }
        }
    }

    @Test
    void tcpWorksToo() throws Exception {
        try (Served s = Served.start("memory_backed=1 size=8")) {
            NbdExport e = s.server.export();
            try (NbdServer tcp = NbdServer.tcp(e, "127.0.0.1", 0)) {
                assertTrue(tcp.port() > 0);
                assertEquals("nbd://127.0.0.1:" + tcp.port() + "/", tcp.uri());
                String size = Tools.run(T, "nbdinfo", "--size", tcp.uri()).ok().out().trim();
                assertEquals(String.valueOf(8 << 20), size);
            }
        }
    }
}
