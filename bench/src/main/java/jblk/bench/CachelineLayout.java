package jblk.bench;

import java.util.ArrayList;
import java.util.List;
import jblk.blockcore.CachelineGroup;
import jblk.blockcore.CachelinePad;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;

/**
 * A class's instance layout on the running JVM (read with JOL), each field tagged with its
 * {@link CachelineGroup} or {@link CachelinePad}: what pahole shows for a C struct, and the checks
 * the kernel's {@code CACHELINE_ASSERT_GROUP_MEMBER} makes at build time.
 */
final class CachelineLayout {
    /** The cache line the groups are kept apart by. */
    static final int LINE = 64;

    /** The hot classes: the default of {@code ./jblk layout} and what the layout test checks. */
    static final List<String> HOT = List.of(
            "jblk.blockcore.Request",
            "jblk.blockcore.SwQueue",
            "jblk.blockcore.HwQueue",
            "jblk.blockcore.CoarseClock",
            "jblk.bench.CompletionStack");

    /** One field at its offset; {@code group} is null for a pad byte or a field of no group. */
    record Slot(long offset, long size, String type, String name, Class<?> host, String group, boolean writer,
            boolean pad) {
        long end() {
            return offset + size;
        }
    }

    final Class<?> type;
    final long instanceSize;
    final int headerSize;
    final List<Slot> slots;

    private CachelineLayout(Class<?> type, long instanceSize, int headerSize, List<Slot> slots) {
        this.type = type;
        this.instanceSize = instanceSize;
        this.headerSize = headerSize;
        this.slots = slots;
    }

    /** A simple name among {@link #HOT} or a fully qualified class name. */
    static Class<?> resolve(String name) throws ClassNotFoundException {
        for (String hot : HOT) {
            if (hot.endsWith("." + name)) {
                return Class.forName(hot);
            }
        }
        return Class.forName(name);
    }

    static CachelineLayout of(Class<?> type) {
        ClassLayout jol = ClassLayout.parseClass(type);
        List<Slot> slots = new ArrayList<>();
        for (FieldLayout f : jol.fields()) {
            Class<?> host = hostClass(type, f.hostClass());
            CachelineGroup g = host.getAnnotation(CachelineGroup.class);
            slots.add(new Slot(f.offset(), f.size(), f.typeClass(), f.name(), host, g == null ? null : g.value(),
                    g != null && !g.writer().isEmpty(), host.isAnnotationPresent(CachelinePad.class)));
        }
        return new CachelineLayout(type, jol.instanceSize(), jol.headerSize(), List.copyOf(slots));
    }

    private static Class<?> hostClass(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(name) || name.equals(c.getCanonicalName())) {
                return c;
            }
        }
        throw new IllegalStateException(name + " is not a superclass of " + type.getName());
    }

    /**
     * What breaks the convention, one line each (empty when none): a field in neither a group nor a
     * pad; a pad class that is not {@link CachelinePad#BYTES} one-byte fields; two groups less than
     * a line apart (so, whatever the object's address, they could share a line); a writer group
     * less than a line from the object's ends (so a neighbouring object could share its line).
     */
    List<String> violations() {
        List<String> out = new ArrayList<>();
        for (Slot s : slots) {
            if (s.group == null && !s.pad) {
                out.add(s.host.getSimpleName() + "." + s.name + " at " + s.offset
                        + " is in no @CachelineGroup and no @CachelinePad class");
            }
        }
        checkPads(out);
        for (int i = 0; i < slots.size(); i++) {
            Slot a = slots.get(i);
            if (a.group == null) {
                continue;
            }
            for (int j = i + 1; j < slots.size(); j++) {
                Slot b = slots.get(j);
                if (b.group != null && !b.group.equals(a.group) && gap(a, b) < LINE) {
                    out.add("groups '" + a.group + "' and '" + b.group + "' are " + gap(a, b) + " bytes apart ("
                            + a.name + " at " + a.offset + ", " + b.name + " at " + b.offset + "); need " + LINE);
                }
            }
            if (a.writer && (a.offset < LINE || instanceSize - a.end() < LINE)) {
                out.add("writer group '" + a.group + "': " + a.name + " at " + a.offset + " is within " + LINE
                        + " bytes of the object's start or end (size " + instanceSize + ")");
            }
        }
        return out;
    }

    private void checkPads(List<String> out) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            if (!c.isAnnotationPresent(CachelinePad.class)) {
                continue;
            }
            Class<?> pad = c;
            long bytes = slots.stream().filter(s -> s.host == pad && s.type.equals("byte")).count();
            long others = slots.stream().filter(s -> s.host == pad && !s.type.equals("byte")).count();
            if (bytes != CachelinePad.BYTES || others != 0) {
                out.add("pad " + c.getSimpleName() + " has " + bytes + " byte fields and " + others
                        + " others; the convention is " + CachelinePad.BYTES + " byte fields");
            }
        }
    }

    /** Bytes between two fields (0 when they overlap or touch). */
    static long gap(Slot a, Slot b) {
        return Math.max(0, Math.max(b.offset - a.end(), a.offset - b.end()));
    }

    /**
     * pahole's view: one line per field (runs of pad bytes folded into one), with offset, size and
     * group, holes, and a marker at each 64-byte boundary from the object's start.
     */
    String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("class %s {%n", type.getName()));
        sb.append(String.format("\t%-46s /* %5d %5d */%n", "/* object header */", 0, headerSize));
        long at = headerSize;
        long nextLine = LINE;
        for (int i = 0; i < slots.size(); i++) {
            Slot s = slots.get(i);
            int last = i;
            while (s.pad && last + 1 < slots.size() && slots.get(last + 1).host == s.host) {
                last++;
            }
            long end = slots.get(last).end();
            for (; nextLine <= s.offset; nextLine += LINE) {
                sb.append(String.format("\t/* --- cacheline %d boundary (%d bytes) --- */%n", nextLine / LINE,
                        nextLine));
            }
            if (s.offset > at) {
                sb.append(String.format("\t/* XXX %d bytes hole */%n", s.offset - at));
            }
            String text = s.pad ? "/* " + s.host.getSimpleName() + ": " + (last - i + 1) + " pad bytes */"
                    : String.format("%-22s %s;", shortType(s.type), s.name);
            String group = s.pad ? "pad" : s.group == null ? "NO GROUP" : s.group + (s.writer ? " (written)" : "");
            sb.append(String.format("\t%-46s /* %5d %5d */  %s%n", text, s.offset, end - s.offset, group));
            for (; nextLine < end; nextLine += LINE) {
                sb.append(String.format("\t/* --- cacheline %d boundary (%d bytes), inside the above --- */%n",
                        nextLine / LINE, nextLine));
            }
            at = Math.max(at, end);
            i = last;
        }
        if (instanceSize > at) {
            sb.append(String.format("\t/* XXX %d bytes padding at the end */%n", instanceSize - at));
        }
        sb.append(String.format("\t/* size: %d, cachelines: %d; lines counted from the object's start"
                + " (objects are 8-byte aligned, so the real lines may shift) */%n}%n", instanceSize,
                (instanceSize + LINE - 1) / LINE));
        return sb.toString();
    }

    private static String shortType(String type) {
        int dot = type.lastIndexOf('.');
        return dot < 0 ? type : type.substring(dot + 1);
    }
}
