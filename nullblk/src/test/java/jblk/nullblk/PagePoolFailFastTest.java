package jblk.nullblk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 17 item 9: a page the JVM's direct memory cannot give fails at once. Before, the pool
 * called {@code allocateDirect} at the limit, which forces a GC and retries for about a second
 * (under the pool's lock, stalling every other page allocation). A child JVM with an 8 MiB limit
 * fills it with pages and counts the collections the failing allocations caused: there must be none.
 */
@Timeout(60)
class PagePoolFailFastTest {
    @Test
    void pageAllocationAtTheJvmLimitFailsWithoutForcingACollection() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxDirectMemorySize=8m", "-cp", System.getProperty("java.class.path"),
                Child.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        // "pages=N failed=5 gcs=G"
        String[] f = out.substring(out.lastIndexOf("pages=")).split("[ =]");
        assertTrue(Integer.parseInt(f[1]) >= 256, "at least one slab of pages fit: " + out);
        assertEquals("5", f[3], out);
        assertEquals("0", f[5], "collections forced by failing page allocations: " + out);
    }

    /** Fills direct memory with pages, then tries five more; prints pages, failures and GCs. */
    public static final class Child {
        public static void main(String[] args) {
            PagePool pool = new PagePool(Long.MAX_VALUE);
            int pages = 0;
            while (pool.alloc() >= 0) {
                pages++;
            }
            long gc0 = gcs();
            int failed = 1; // the one that ended the loop
            for (int i = 0; i < 4; i++) {
                if (pool.alloc() < 0) {
                    failed++;
                }
            }
            System.out.println("pages=" + pages + " failed=" + failed + " gcs=" + (gcs() - gc0));
        }

        private static long gcs() {
            long n = 0;
            List<GarbageCollectorMXBean> beans = ManagementFactory.getGarbageCollectorMXBeans();
            for (GarbageCollectorMXBean b : beans) {
                n += Math.max(0, b.getCollectionCount());
            }
            return n;
        }
    }
}
