package jblk.blockcore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What closing a disk found ({@code del_gendisk} + {@code blk_mq_freeze_queue_wait} with a bound):
 * every request the driver never ended, with its tag, op, sector and age, plus whatever the binding
 * layer adds (where a leaked request was handed out, in debug mode).
 */
public final class CloseReport {
    /** One request still holding its tag when the disk closed. */
    public record Leaked(int hctx, int tag, ReqOp op, long sector, int bytes, String state, long ageMs) {
        @Override
        public String toString() {
            return "hctx" + hctx + " tag " + tag + " " + op + " sector " + sector + " (" + bytes + " bytes) "
                    + state + ", age " + ageMs + " ms";
        }
    }

    private final String disk;
    private final boolean drained;
    private final List<Leaked> leaked;
    private final List<String> notes = new ArrayList<>();

    CloseReport(String disk, boolean drained, List<Leaked> leaked) {
        this.disk = disk;
        this.drained = drained;
        this.leaked = Collections.unmodifiableList(new ArrayList<>(leaked));
    }

    public String disk() {
        return disk;
    }

    /** True when every request was ended within the close timeout. */
    public boolean drained() {
        return drained;
    }

    public List<Leaked> leaked() {
        return leaked;
    }

    /** Lines a binding layer added (for example where each leaked request was issued). */
    public List<String> notes() {
        return Collections.unmodifiableList(notes);
    }

    public void addNote(String note) {
        notes.add(note);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (leaked.isEmpty()) {
            sb.append(disk).append(": closed clean, no request left in flight\n");
        } else {
            sb.append(disk).append(": ").append(leaked.size())
                    .append(" request(s) never ended by the driver:\n");
            for (Leaked l : leaked) {
                sb.append("  ").append(l).append('\n');
            }
        }
        for (String n : notes) {
            sb.append("  ").append(n).append('\n');
        }
        return sb.toString();
    }
}
