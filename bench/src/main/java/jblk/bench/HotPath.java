package jblk.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The methods of a measured run whose C2 code must stay as the warm-up left it (issue 12's "one
 * compiled shape per worker"): jblk's own, less what runs once per run or per scan rather than per
 * I/O, and less what {@link StableJit} keeps out of line so that it may recompile alone. One list
 * for compare's workers, which report any change of it at the end of a set, and for
 * {@code HotPathShapeTest}, which reads the JIT's log. Names are {@code Class::method}, as
 * PrintCompilation prints them.
 */
final class HotPath {
    /** Name prefixes that are not the hot path, though jblk's. */
    static final List<String> NOT_HOT = notHot();

    private HotPath() {
    }

    private static List<String> notHot() {
        List<String> l = new ArrayList<>();
        // kept out of line: each may recompile alone (TimeoutTimer::add when the timer first fires,
        // ~6 s into a worker's life), the same in every variant, and its callers stay as they are
        for (String a : StableJit.OPTIONS) {
            if (a.startsWith("-XX:CompileCommand=dontinline,")) {
                l.add(a.substring(a.indexOf(',') + 1));
            }
        }
        // the tag iterators, on kblockd's thread once per scan or per stat read: the warm-up's
        // inflight reader compiled them with another callback than the timeout scan's
        l.addAll(List.of("jblk.blockcore.Tags::forEachBusy", "jblk.blockcore.Tags::firstUser",
                "jblk.blockcore.Tags::findAndGetReq",
                "jblk.blockcore.Tags::putRqRef", "jblk.blockcore.Request::refIncNotZero",
                "jblk.blockcore.TimeoutScanner", "jblk.blockcore.DiskStats", "jblk.blockcore.Tags::isAllocated",
                "jblk.blockcore.sbitmap.SBitmapQueue::isSet", "jblk.blockcore.sbitmap.SBitmapQueue::word"));
        // a job's bios are set up once per run, by IoJob's constructor
        l.add("jblk.blockcore.Bio::set");
        // the worker's protocol and the warm-up's reader, whose loop ends (a trap) as the warm-up does
        l.add(CompareWorker.class.getName() + "::");
        // the runner: once per run or per turn on its own thread, which the window does not count, and
        // C2 reaches some of it only after many runs (WorkloadRunner::allStopped, Turns::start)
        l.add(WorkloadRunner.class.getName());
        l.add(Turns.class.getName());
        return List.copyOf(l);
    }

    /** Whether {@code method} ({@code Class::method}) is on the hot path. */
    static boolean contains(String method) {
        if (!method.startsWith("jblk.") || method.endsWith("::<init>")) {
            return false; // the JDK's, or a constructor: the jobs and their bios are made once per run
        }
        for (String p : NOT_HOT) {
            if (method.startsWith(p)) {
                return false;
            }
        }
        return true;
    }
}
