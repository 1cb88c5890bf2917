package jblk.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import jblk.blockcore.ReqOp;
import org.junit.jupiter.api.Test;

/** Bad settings get one clear message naming the value and the allowed range; a seed replays its workload. */
class KitConfigTest {
    private static String error(Runnable r) {
        return assertThrows(IllegalArgumentException.class, r::run).getMessage();
    }

    @Test
    void outOfRangeValuesNameTheAllowedRange() {
        assertEquals("submitters 0 is out of range: allowed 1..16",
                error(() -> KitConfig.builder().submitters(0).build()));
        assertEquals("hwQueues 17 is out of range: allowed 1..16",
                error(() -> KitConfig.builder().hwQueues(17).build()));
        assertEquals("queueDepth 1 is out of range: allowed 2..1024",
                error(() -> KitConfig.builder().queueDepth(1).build()));
        assertEquals("capacitySectors 8 is out of range: allowed 64..4194304",
                error(() -> KitConfig.builder().capacitySectors(8).build()));
        assertEquals("faultTimeout PT0.001S is out of range: allowed PT0.01S..PT1H",
                error(() -> KitConfig.builder().faultTimeout(Duration.ofMillis(1)).build()));
        assertEquals("op null is not verified by the kit: allowed " + KitConfig.VERIFIED,
                error(() -> KitConfig.builder().ops(ReqOp.FLUSH, null)));
    }

    @Test
    void theSameSeedPlansTheSameWorkloadAndAnotherSeedAnother() {
        KitConfig c = KitConfig.builder().seed(7).iosPerSubmitter(300).ops(ReqOp.DISCARD).build();
        for (Pass p : Pass.values()) {
            for (int s = 0; s < c.submitters(); s++) {
                List<IoSpec> a = Workload.plan(7, p, s, c);
                assertEquals(a, Workload.plan(7, p, s, c));
                assertEquals(300, a.size());
            }
        }
        assertEquals(Workload.fingerprint(7, c), Workload.fingerprint(7, c));
        assertNotEquals(Workload.fingerprint(7, c), Workload.fingerprint(8, c));
        assertNotEquals(Workload.plan(7, Pass.DATA, 0, c), Workload.plan(7, Pass.DATA, 1, c), "submitters differ");
    }

    @Test
    void theSeedComesFromTheSystemPropertyWhenNotSet() {
        String old = System.getProperty(KitConfig.SEED_PROPERTY);
        try {
            System.setProperty(KitConfig.SEED_PROPERTY, "123");
            assertEquals(123, KitConfig.builder().build().seed());
            System.setProperty(KitConfig.SEED_PROPERTY, "x");
            assertEquals("jblk.testkit.seed 'x' is not a number: allowed a 64-bit integer",
                    error(() -> KitConfig.builder().build()));
        } finally {
            if (old == null) {
                System.clearProperty(KitConfig.SEED_PROPERTY);
            } else {
                System.setProperty(KitConfig.SEED_PROPERTY, old);
            }
        }
    }
}
