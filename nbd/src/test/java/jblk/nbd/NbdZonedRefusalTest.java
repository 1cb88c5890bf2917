package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringWriter;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullBlkModule;
import jblk.safety.Ownership;
import org.junit.jupiter.api.Test;

/** NBD has no zones: a zoned disk is refused with one clear message, and nothing is left running. */
class NbdZonedRefusalTest {

    @Test
    void zonedDiskIsRefusedByTheExport() {
        try (NullBlkModule m = NullBlkModule.load("zoned=1 size=64 zone_size=4", DriverKind.SAFE, Ownership.CHECKED)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new NbdExport(m.device(0).disk(), "", "", false));
            assertTrue(e.getMessage().contains("zoned disk and NBD has no zones"), e.getMessage());
        }
    }

    @Test
    void zonedDiskIsRefusedByTheCommandLine() {
        StringWriter err = new StringWriter();
        picocli.CommandLine cl = NbdMain.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true));
        int rc = cl.execute("--socket", "/nonexistent/zoned.sock", "--nullb", "zoned=1 size=64 zone_size=4");
        assertEquals(2, rc, err.toString());
        assertTrue(err.toString().contains("export a conventional device (zoned=0)"), err.toString());
    }
}
