package jblk.safety;

import java.util.ArrayList;
import java.util.List;
import jblk.blockcore.AbstractGenDiskBuilder;
import jblk.blockcore.BlkStatus;
import jblk.blockcore.CloseReport;
import jblk.blockcore.GenDisk;
import jblk.blockcore.Request;
import jblk.blockcore.RequestState;
import jblk.blockcore.spi.RequestWord;

/**
 * Models the Rust binding's {@code GenDiskBuilder}: name, capacity, block sizes, rotational, max
 * sectors (and jblk's extras: discard, write zeroes, write cache, iostats), each checked as it is
 * set with a clear error (the setters and their messages are blockcore's
 * {@link AbstractGenDiskBuilder}, shared with the C-style builder). {@link #build} returns the
 * blockcore disk, with the binding's ownership counters in its debugfs and, in DEBUG mode, a leak
 * report at close that says where each request the driver never ended was issued.
 */
public final class GenDiskBuilder extends AbstractGenDiskBuilder<GenDiskBuilder> {

    /** A builder with the kernel's defaults (512-byte blocks, no capacity yet). */
    public GenDiskBuilder() {
    }

    /** Builds and adds the disk ({@code blk_mq_alloc_disk} + {@code add_disk}). */
    public <T, H> GenDisk build(String name, TagSet<T, H> set) {
        GenDisk disk = buildDisk(name, set.raw);
        OperationsVTable<T, H> vt = set.vt;
        Violations v = vt.violations(disk);
        disk.addDebugSection("ownership", () -> v.render(vt.mode));
        if (vt.mode == Ownership.DEBUG) {
            disk.addCloseListener(report -> leakReport(report, set));
        }
        if (vt.mode.usesWord()) {
            disk.addCloseListener(report -> endLeaked(report, set));
        } else if (vt.mode != Ownership.OFF) {
            disk.addCloseListener(report -> endLeakedOther(report, set));
        }
        return disk;
    }

    /**
     * CHECKED and DEBUG: a request the driver still holds when the disk closes is ended here with
     * IOERR (CLOSE in {@link OwnershipWord}: its submitter gets an answer), so a late end through the
     * driver's handle is refused instead of completing a bio on a closed disk.
     */
    private static <T, H> void endLeaked(CloseReport report, TagSet<T, H> set) {
        for (CloseReport.Leaked l : report.leaked()) {
            Request rq = set.raw.tags(l.hctx()).tagToRq(l.tag());
            if (OperationsVTable.forceEnd(rq, RequestState.generation(RequestWord.lvWord(rq)), BlkStatus.IOERR,
                    OwnershipWord.CLOSE)) {
                report.addNote("tag " + l.tag() + " on hw queue " + l.hctx()
                        + ": ended with IOERR at close; a later end through the driver's handle is refused");
            }
        }
    }

    /** {@link #endLeaked} for REFCOUNT, HPREF and OWNED (their token is not in the state word). */
    private static <T, H> void endLeakedOther(CloseReport report, TagSet<T, H> set) {
        for (CloseReport.Leaked l : report.leaked()) {
            Request rq = set.raw.tags(l.hctx()).tagToRq(l.tag());
            if (set.vt.endLeaked(rq)) {
                report.addNote("tag " + l.tag() + " on hw queue " + l.hctx()
                        + ": ended with IOERR at close; a later end through the driver's handle is refused");
            }
        }
    }

    /** DEBUG: for each request never ended, where the driver got it. */
    private static <T, H> void leakReport(CloseReport report, TagSet<T, H> set) {
        List<String> notes = new ArrayList<>();
        for (CloseReport.Leaked l : report.leaked()) {
            Request rq = set.raw.tags(l.hctx()).tagToRq(l.tag());
            RequestData<T> w = OperationsVTable.wrapper(rq);
            DebugRecord rec = w == null ? null : w.debug;
            if (rec != null && rec.gen == RequestState.generation(RequestWord.laWord(rq))) {
                notes.add("leak: tag " + l.tag() + " was never ended by the driver\n"
                        + OperationsVTable.trace("issued", rec.issued).stripTrailing());
            } else {
                notes.add("leak: tag " + l.tag() + " was never issued to the driver (queued when the disk closed)");
            }
        }
        notes.forEach(report::addNote);
    }
}
