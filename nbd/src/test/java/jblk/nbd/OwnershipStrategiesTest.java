package jblk.nbd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import jblk.nullblk.DriverKind;
import jblk.safety.Ownership;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Issue 11: the NBD server serves a safe null_blk under every ownership strategy, at each irqmode. */
@Timeout(60)
class OwnershipStrategiesTest {
    @ParameterizedTest
    @EnumSource(Ownership.class)
    void writesAndReadsBackUnderEveryStrategy(Ownership own) throws Exception {
        for (int irqmode = 0; irqmode <= 2; irqmode++) {
            try (Served s = Served.start("memory_backed=1 size=16 completion_nsec=20000 irqmode=" + irqmode,
                    DriverKind.SAFE, own, "", false);
                    RawClient c = RawClient.open(s.socket(), true, false)) {
                for (int i = 0; i < 32; i++) {
                    byte[] d = new byte[4096];
                    d[i] = (byte) (i + 1);
                    assertEquals(0, c.write(2L * i, i * 4096L, d).error(), own + " irqmode " + irqmode);
                    assertArrayEquals(d, c.read(2L * i + 1, i * 4096L, 4096).data(), own + " irqmode " + irqmode);
                }
            }
        }
    }
}
