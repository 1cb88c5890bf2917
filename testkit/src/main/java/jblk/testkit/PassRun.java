package jblk.testkit;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import jblk.blockcore.Bio;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.CloseReport;
import jblk.blockcore.GenDisk;
import jblk.blockcore.ReqOp;
import jblk.blockcore.SwQueue;
import jblk.safety.EndOutcome;
import jblk.safety.GenDiskBuilder;
import jblk.safety.Operations;
import jblk.safety.Ownership;
import jblk.safety.TagSet;
import jblk.safety.Violation;

/**
 * One pass of a kit run: a fresh driver from the factory behind the kit's wrapper, a tag set and
 * disk, the seeded workload from several submitters, then the checks: every bio completed exactly
 * once, every read returned the last acknowledged write, every claimed op succeeded (or failed as
 * injected), the ownership counters, nothing in flight or holding a tag before and at close.
 */
final class PassRun {
    private static final int MAX_DETAILS = 8;

    final KitConfig c;
    final Pass pass;
    private final DriverFactory factory;
    private final KitReport report;
    final DataModel model;
    GenDisk disk;
    private KitOps<?, ?> kit;

    private final Set<IoRecord> outstanding = ConcurrentHashMap.newKeySet();
    private final Map<Long, String> writeOrigin = new ConcurrentHashMap<>();
    private final Set<String> completionThreads = ConcurrentHashMap.newKeySet();
    private final Map<ReqOp, LongAdder> completedOps = new EnumMap<>(ReqOp.class);
    private final LongAdder completed = new LongAdder();
    private final LongAdder twice = new LongAdder();
    private final LongAdder verified = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder mismatches = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder injectedTimeouts = new LongAdder();
    private final AtomicLong submitted = new AtomicLong();
    private final List<String> dataProblems = new CopyOnWriteArrayList<>();
    private final List<String> errorProblems = new CopyOnWriteArrayList<>();
    private final List<String> twiceProblems = new CopyOnWriteArrayList<>();
    private final List<String> submitProblems = new CopyOnWriteArrayList<>();

    PassRun(KitConfig c, Pass pass, DriverFactory factory, KitReport report) {
        this.c = c;
        this.pass = pass;
        this.factory = factory;
        this.report = report;
        this.model = new DataModel(c.capacitySectors);
        for (ReqOp op : ReqOp.values()) {
            completedOps.put(op, new LongAdder());
        }
    }

    long waitNs() {
        return c.completionWait.toNanos();
    }

    long waitMs() {
        return c.completionWait.toMillis();
    }

    void run() {
        report.line("== " + pass.label() + " ==");
        if (pass == Pass.BUGGY && c.ownership == Ownership.OFF) {
            report.line("  skipped: ownership off checks nothing, so the buggy wrapper's violations are undefined");
            return;
        }
        Operations<?, ?> ops;
        try {
            ops = factory.create((long) c.capacitySectors * Stamp.SECTOR);
        } catch (Exception | LinkageError e) {
            report.check(false, pass.label() + ": the driver factory built a driver", List.of(e.toString()));
            return;
        }
        if (ops == null) {
            report.check(false, pass.label() + ": the driver factory built a driver", List.of("it returned null"));
            return;
        }
        try {
            runWith(ops);
        } finally {
            if (ops instanceof AutoCloseable a) {
                try {
                    a.close();
                } catch (Exception e) {
                    report.check(false, pass.label() + ": the driver closed", List.of(e.toString()));
                }
            }
        }
    }

    private <T, H> void runWith(Operations<T, H> inner) {
        long passSeed = c.seed ^ (0xD1B54A32D192ED03L * (pass.ordinal() + 1));
        KitOps<T, H> k = new KitOps<>(inner, pass, passSeed);
        kit = k;
        TagSet<T, H> set = TagSet.builder(k)
                .nrHwQueues(c.hwQueues)
                .nrCpuIds(Math.max(c.submitters, c.hwQueues))
                .queueDepth(c.queueDepth)
                .timeout(pass == Pass.FAULTS ? c.faultTimeout : c.requestTimeout)
                .ownership(c.ownership)
                .build();
        GenDiskBuilder gb = new GenDiskBuilder()
                .capacitySectors(c.capacitySectors)
                .closeTimeout(c.closeTimeout)
                .writeCache(c.ops.contains(ReqOp.FLUSH));
        if (c.ops.contains(ReqOp.DISCARD)) {
            gb.maxDiscardSectors(KitConfig.MAX_IO_SECTORS);
        }
        if (c.ops.contains(ReqOp.WRITE_ZEROES)) {
            gb.maxWriteZeroesSectors(KitConfig.MAX_IO_SECTORS);
        }
        try {
            disk = gb.build("kit-" + pass.label(), set);
        } catch (RuntimeException e) {
            set.close();
            report.check(false, pass.label() + ": the disk was built (initHctx)", List.of(e.toString()));
            return;
        }
        List<Submitter> subs = new ArrayList<>();
        for (int i = 0; i < c.submitters; i++) {
            subs.add(new Submitter(this, "submitter " + i, i, Workload.plan(c.seed, pass, i, c)));
        }
        subs.forEach(s -> s.thread.start());
        joinAll(subs);
        if (pass == Pass.DATA && outstanding.isEmpty()) {
            // The final read-back: every sector must hold its last acknowledged write.
            Submitter back = new Submitter(this, "read-back", 16, Workload.readBack(c));
            subs.add(back);
            back.thread.start();
            joinAll(List.of(back));
        }
        awaitOutstanding();
        // A bio's callback runs inside the end, just before its tag is freed: allow the last ones a moment.
        long settle = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        int inReads;
        int inWrites;
        List<Integer> busyTags = new ArrayList<>();
        do {
            busyTags.clear();
            inReads = disk.inFlightReads();
            inWrites = disk.inFlightWrites();
            int sum = inReads + inWrites;
            for (int h = 0; h < disk.nrHwQueues(); h++) {
                busyTags.add(disk.busyTags(h));
                sum += busyTags.get(h);
            }
            if (sum == 0) {
                break;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
        } while (System.nanoTime() - settle < 0);
        Map<Violation, Long> counted = set.violations(disk).snapshot();
        disk.close();
        CloseReport close = disk.closeReport();
        set.close();
        check(subs, counted, close, inReads, inWrites, busyTags);
    }

    private void joinAll(List<Submitter> subs) {
        for (Submitter s : subs) {
            try {
                s.thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void awaitOutstanding() {
        long deadline = System.nanoTime() + waitNs();
        while (!outstanding.isEmpty() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
    }

    // ---- submission and completion ---------------------------------------------------------------

    /** Submits planned I/O {@code index} of {@code sub} (its range is locked, a depth permit taken). */
    void submit(SwQueue q, Submitter sub, int subId, int index, IoSpec s) {
        ByteBuffer buf = null;
        long seq = 0;
        if (s.op() == ReqOp.WRITE) {
            seq = ((long) index << 5 | subId) + 1; // unique and the same in every replay
            buf = ByteBuffer.allocate(s.sectors() * Stamp.SECTOR);
            for (int i = 0; i < s.sectors(); i++) {
                Stamp.write(buf, i * Stamp.SECTOR, s.start() + i, seq);
            }
        } else if (s.op() == ReqOp.READ) {
            buf = ByteBuffer.allocate(s.sectors() * Stamp.SECTOR);
        }
        IoRecord r = new IoRecord(sub.name, index, s, seq, buf);
        if (seq != 0) {
            writeOrigin.put(seq, r.describe());
        }
        if (s.sectors() > 0) {
            kit.records.put(s.start(), r);
        }
        outstanding.add(r);
        submitted.incrementAndGet();
        Bio bio = new Bio().set(s.op(), s.start(), s.sectors() * Stamp.SECTOR, buf, 0, 0, b -> completed(b, r, sub));
        try {
            q.submitBio(bio);
        } catch (RuntimeException e) {
            outstanding.remove(r);
            if (s.sectors() > 0) {
                kit.records.remove(s.start());
                model.unlock(s.start(), s.sectors());
            }
            sub.done();
            if (submitProblems.size() < MAX_DETAILS) {
                submitProblems.add("submitBio threw for " + r.describe() + ": " + e);
            }
        }
    }

    private void completed(Bio bio, IoRecord r, Submitter sub) {
        if (r.completions.incrementAndGet() > 1) {
            twice.increment();
            if (twiceProblems.size() < MAX_DETAILS) {
                twiceProblems.add(r.describe() + " completed again, now with " + bio.status());
            }
            return; // the first completion released its range and permit
        }
        completionThreads.add(threadName());
        BlkStatus st = bio.status();
        try {
            if (st == BlkStatus.OK) {
                switch (r.op) {
                    case READ -> verify(r);
                    case WRITE -> model.written(r.start, r.sectors, r.seq);
                    case DISCARD -> model.discarded(r.start, r.sectors);
                    case WRITE_ZEROES -> model.written(r.start, r.sectors, 0);
                    default -> {
                    }
                }
            } else {
                failedIo(bio, r, st);
            }
            completedOps.get(r.op).increment();
            completed.increment();
        } finally {
            if (r.sectors > 0) {
                kit.records.remove(r.start, r);
                model.unlock(r.start, r.sectors);
            }
            outstanding.remove(r);
            sub.done();
        }
    }

    private void failedIo(Bio bio, IoRecord r, BlkStatus st) {
        boolean changesData = r.op != ReqOp.READ && r.op != ReqOp.FLUSH;
        if (pass == Pass.FAULTS && st == BlkStatus.TIMEOUT) {
            injectedTimeouts.increment();
            if (changesData && !r.lostByKit) {
                model.unknown(r.start, r.sectors); // the driver had it: it may have landed
            }
            return;
        }
        errors.increment();
        if (changesData) {
            model.unknown(r.start, r.sectors);
        }
        if (errorProblems.size() < MAX_DETAILS) {
            String why = bio.errorDetail() != null ? " (" + bio.errorDetail() + ")" : "";
            String hint = st == BlkStatus.NOTSUPP ? ": the kit was told the driver serves " + r.op : "";
            errorProblems.add(r.describe() + " ended with " + st + why + hint);
        }
    }

    /** Compares each sector read with the model (the range is locked, so nothing changes it meanwhile). */
    private void verify(IoRecord r) {
        String first = null;
        int bad = 0;
        for (int i = 0; i < r.sectors; i++) {
            int lba = r.start + i;
            int off = i * Stamp.SECTOR;
            long got = Stamp.check(r.buf, off, lba);
            if (model.isUnknown(lba)) {
                skipped.increment();
                if (got == Stamp.GARBAGE || got == Stamp.WRONG_LBA) {
                    bad++;
                    first = first != null ? first : mismatch(lba, got, r.buf, off, -1);
                }
                continue;
            }
            verified.increment();
            long want = model.expected(lba);
            if (got == want || (got == Stamp.ZEROS && model.mayBeZero(lba))) {
                continue;
            }
            bad++;
            if (first == null) {
                first = mismatch(lba, got, r.buf, off, want);
            }
        }
        if (bad > 0) {
            mismatches.add(bad);
            if (dataProblems.size() < MAX_DETAILS) {
                dataProblems.add(first + "; read by " + r.describe() + (bad > 1 ? "; " + (bad - 1)
                        + " more sector(s) wrong" : ""));
            }
        }
    }

    private String mismatch(int lba, long got, ByteBuffer buf, int off, long want) {
        String expected = want < 0 ? "(unknown after an errored write)"
                : want == 0 ? "zeros (never written, or zeroed)" : "write #" + want + " " + origin(want);
        if (got == Stamp.ZEROS) {
            return "lost write: sector " + lba + " reads zeros, expected " + expected;
        }
        if (got == Stamp.GARBAGE) {
            return "corrupt data: sector " + lba + " holds neither zeros nor an intact stamp, expected " + expected;
        }
        if (got == Stamp.WRONG_LBA) {
            return "misplaced data: sector " + lba + " holds write #" + Stamp.seq(buf, off) + " of sector "
                    + Stamp.lba(buf, off) + ", expected " + expected;
        }
        return "stale write: sector " + lba + " holds write #" + got + " " + origin(got) + ", expected " + expected;
    }

    private String origin(long seq) {
        String o = writeOrigin.get(seq);
        return o == null ? "(never submitted)" : "(" + o + ")";
    }

    private static String threadName() {
        // Numbered pool threads collapse to one name: "kit-worker-3" -> "kit-worker-N".
        return Thread.currentThread().getName().replaceAll("\\d+$", "N");
    }

    // ---- the checks ----------------------------------------------------------------------------

    private void check(List<Submitter> subs, Map<Violation, Long> counted, CloseReport close, int inReads,
            int inWrites, List<Integer> busyTags) {
        String p = pass.label() + ": ";
        StringBuilder ops = new StringBuilder();
        for (ReqOp op : c.ops) {
            ops.append(' ').append(op).append(' ').append(completedOps.get(op).sum());
        }
        StringBuilder hw = new StringBuilder();
        List<String> idleQueues = new ArrayList<>();
        for (int h = 0; h < c.hwQueues; h++) {
            long n = kit.perHwQueue.get(h);
            hw.append(h > 0 ? ", " : "").append("hctx").append(h).append(' ').append(n);
            if (n == 0) {
                idleQueues.add("hctx" + h + " received no request");
            }
        }
        report.line("  I/Os " + completed.sum() + ":" + ops + "; per hw queue: " + hw);
        report.line("  completed on threads: " + new TreeSet<>(completionThreads));
        if (pass == Pass.FAULTS) {
            report.line("  injected: requeues " + kit.requeues.get() + ", RESOURCE returns " + kit.busy.get()
                    + ", lost requests " + kit.lostCount.get() + " (ended by the timeout " + kit.lostEnded.get()
                    + "); bios ended TIMEOUT " + injectedTimeouts.sum());
        }
        if (pass == Pass.BUGGY) {
            report.line("  buggy wrapper: " + kit.misuses() + " misuses of finished requests' handles (end "
                    + kit.misuses.get(0) + ", complete " + kit.misuses.get(1) + ", requeue " + kit.misuses.get(2)
                    + "); refused ALREADY_ENDED " + kit.outcome(EndOutcome.ALREADY_ENDED) + ", STALE "
                    + kit.outcome(EndOutcome.STALE) + "; went through " + kit.outcome(EndOutcome.ENDED));
        }

        List<String> lost = new ArrayList<>(submitProblems);
        for (IoRecord r : outstanding) {
            if (lost.size() >= MAX_DETAILS) {
                break;
            }
            lost.add("never completed: " + r.describe());
        }
        for (Submitter s : subs) {
            if (s.stalled != null) {
                lost.add(s.name + " stalled: " + s.stalled);
            }
            if (s.failure != null) {
                lost.add(s.name + " failed: " + s.failure);
            }
        }
        lost.addAll(twiceProblems);
        report.check(lost.isEmpty() && twice.sum() == 0, p + "every bio completed exactly once (" + completed.sum()
                + " completed, " + outstanding.size() + " never, " + twice.sum() + " more than once)", lost);
        report.check(mismatches.sum() == 0, p + "every read returned the last acknowledged write (" + verified.sum()
                + " sectors verified, " + skipped.sum() + " unknown after an error, " + mismatches.sum()
                + " wrong)", dataProblems);
        report.check(errors.sum() == 0, p + "every claimed op succeeded" + (pass == Pass.FAULTS
                ? " or failed as injected" : "") + " (" + errors.sum() + " unexpected errors)", errorProblems);
        if (c.submitters >= c.hwQueues) {
            report.check(idleQueues.isEmpty(), p + "every hw queue received requests (" + hw + ")", idleQueues);
        }

        long total = counted.values().stream().mapToLong(Long::longValue).sum();
        if (pass == Pass.BUGGY) {
            List<String> through = new ArrayList<>(kit.wentThrough);
            boolean some = kit.misuses() > 0 || c.iosPerSubmitter * c.submitters < 2000;
            if (!some) {
                through.add("no misuse was injected: raise the I/O count");
            }
            report.check(kit.outcome(EndOutcome.ENDED) == 0 && some, p + "every injected misuse was refused ("
                    + kit.misuses() + " injected, " + kit.outcome(EndOutcome.ENDED) + " went through)", through);
            long wantAlready = kit.outcome(EndOutcome.ALREADY_ENDED);
            long wantStale = kit.outcome(EndOutcome.STALE);
            boolean exact = counted.get(Violation.ALREADY_ENDED) == wantAlready
                    && counted.get(Violation.STALE) == wantStale && total == wantAlready + wantStale;
            report.check(exact, p + "the disk counted each refusal once (counted " + nonZero(counted)
                    + "; refused ALREADY_ENDED " + wantAlready + ", STALE " + wantStale + ")",
                    exact ? List.of() : List.of("counts differ: the driver itself made ownership violations (see the "
                            + Pass.DATA.label() + " pass) or a refusal was not counted"));
        } else if (c.ownership != Ownership.OFF) {
            report.check(total == 0, p + "the driver's own ends, completes and requeues were never refused ("
                    + (total == 0 ? "no violation counted" : nonZero(counted)) + ")", total == 0 ? List.of()
                    : violationHints(counted));
        }
        if (pass == Pass.FAULTS) {
            List<String> f = new ArrayList<>();
            if (kit.ownRefused.get() > 0) {
                f.add(kit.ownRefused.get() + " of the kit's own requeues or timeout ends were refused: the driver"
                        + " ended requests it did not own");
            }
            if (kit.lostEnded.get() != kit.lostCount.get()) {
                f.add((kit.lostCount.get() - kit.lostEnded.get()) + " lost request(s) never ended by the timeout");
            }
            boolean enough = c.iosPerSubmitter * c.submitters < 2000
                    || (kit.requeues.get() > 0 && kit.busy.get() > 0 && kit.lostCount.get() > 0);
            if (!enough) {
                f.add("not every fault kind fired: raise the I/O count");
            }
            report.check(f.isEmpty(), p + "requeues, RESOURCE returns and timeouts were survived", f);
        }

        List<String> busy = new ArrayList<>();
        if (inReads + inWrites > 0) {
            busy.add("in flight: " + inReads + " read(s), " + inWrites + " write(s)");
        }
        for (int h = 0; h < busyTags.size(); h++) {
            if (busyTags.get(h) > 0) {
                busy.add("hctx" + h + ": " + busyTags.get(h) + " busy tag(s)");
            }
        }
        report.check(busy.isEmpty(), p + "nothing in flight and no busy tag once every bio completed", busy);
        List<String> leaks = new ArrayList<>();
        for (CloseReport.Leaked l : close.leaked()) {
            leaks.add("never ended: " + l);
        }
        leaks.addAll(close.notes());
        report.check(close.leaked().isEmpty(), p + "no request held a tag at close (" + close.leaked().size()
                + " held)", leaks);
    }

    private static String nonZero(Map<Violation, Long> m) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<Violation, Long> e : m.entrySet()) {
            if (e.getValue() > 0) {
                sb.append(sb.length() > 0 ? ", " : "").append(e.getKey()).append(' ').append(e.getValue());
            }
        }
        return sb.length() == 0 ? "none" : sb.toString();
    }

    private static List<String> violationHints(Map<Violation, Long> m) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Violation, Long> e : m.entrySet()) {
            if (e.getValue() == 0) {
                continue;
            }
            String why = switch (e.getKey()) {
                case ALREADY_ENDED -> "the driver ended, completed or requeued a request it had already ended";
                case STALE -> "the driver used a handle kept from an earlier request (its tag was reused)";
                case SHARED -> "the driver ended a request while a share() or tagToRq reference was outstanding";
                case RELEASED -> "the driver used a reference after release()";
                case STATUS_AFTER_END -> "queueRq returned an error or RESOURCE after ending the request";
                case EXCEPTION -> "a driver callback threw (the request was ended with IOERR)";
                default -> "see jblk.safety.Violation";
            };
            out.add(e.getKey() + " " + e.getValue() + ": " + why);
        }
        return out;
    }
}
