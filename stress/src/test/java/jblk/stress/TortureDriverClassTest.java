package jblk.stress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import jblk.blockcore.BlkStatus;
import jblk.safety.Operations;
import jblk.safety.RequestRef;
import org.junit.jupiter.api.Test;

/** {@code ./jblk torture --driver-class} hands the run to the test kit. */
class TortureDriverClassTest {
    /** A RAM disk as a driver from outside jblk would write it. */
    public static final class Ram implements Operations<Void, Void> {
        private final ByteBuffer data;

        public Ram(long bytes) {
            data = ByteBuffer.allocate((int) bytes);
        }

        @Override
        public Void newRequestData(int hctxIdx) {
            return null;
        }

        @Override
        public BlkStatus queueRq(Void hw, RequestRef<Void> rq, boolean isLast) {
            int pos = (int) (rq.sector() << 9);
            switch (rq.op()) {
                case READ -> rq.buffer().put(rq.bufOffset(), data, pos, rq.bytes());
                case WRITE -> data.put(pos, rq.buffer(), rq.bufOffset(), rq.bytes());
                case FLUSH -> { }
                default -> {
                    return BlkStatus.NOTSUPP;
                }
            }
            rq.endOk();
            return BlkStatus.OK;
        }

        @Override
        public void commitRqs(Void hw) {
        }

        @Override
        public void complete(RequestRef<Void> rq) {
            rq.endOk();
        }
    }

    @Test
    void driverClassRunsTheKitOnThatDriver() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int rc = TortureMain.run(new String[] {"--driver-class", Ram.class.getName(), "--ios", "200", "--seed", "3"},
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, rc, out);
        assertTrue(out.contains("jblk testkit: " + Ram.class.getName() + ", seed 3"), out);
        assertTrue(out.contains("== buggy-wrapper =="), out);
    }
}
