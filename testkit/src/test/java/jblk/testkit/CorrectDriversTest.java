package jblk.testkit;

import jblk.testkit.disks.TestDisks;

import jblk.blockcore.ReqOp;
import org.junit.jupiter.api.Nested;

/** Correct drivers pass every pass of the kit through its JUnit base class. */
class CorrectDriversTest {
    @Nested
    class InlineRamDisk extends DriverKitTest {
        @Override
        protected DriverFactory driver() {
            return bytes -> new TestDisks.Ram(bytes, TestDisks.Ram.Bug.NONE);
        }

        @Override
        protected KitConfig.Builder config(KitConfig.Builder b) {
            return b.ops(ReqOp.FLUSH, ReqOp.DISCARD, ReqOp.WRITE_ZEROES).iosPerSubmitter(800);
        }
    }

    @Nested
    class CompletesOnItsOwnThreads extends DriverKitTest {
        @Override
        protected DriverFactory driver() {
            return TestDisks.Async::new;
        }

        @Override
        protected KitConfig.Builder config(KitConfig.Builder b) {
            return b.iosPerSubmitter(800);
        }
    }
}
