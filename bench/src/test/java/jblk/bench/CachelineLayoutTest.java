package jblk.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import jblk.blockcore.CachelineGroup;
import jblk.blockcore.CachelinePad;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.api.Test;

/**
 * The cache-line groups of the hot classes, as this JVM lays them out (JOL): each group shares
 * lines only with itself, writer groups keep a line from the object's ends, pads follow the one
 * convention. The fixtures below are the layout the project had before (pads of longs declared in
 * the same class as a group), to show the check catches what it guards.
 */
class CachelineLayoutTest {
    static final List<String> HOT = CachelineLayout.HOT;

    @ParameterizedTest
    @FieldSource("HOT")
    void hotClassKeepsItsGroupsOnLinesOfTheirOwn(String name) throws ClassNotFoundException {
        CachelineLayout layout = CachelineLayout.of(Class.forName(name));
        assertEquals(List.of(), layout.violations(), () -> layout.render());
    }

    @Test
    void requestsCompleterFieldsSitALineAwayFromTheSubmitters() throws ClassNotFoundException {
        CachelineLayout layout = CachelineLayout.of(Class.forName("jblk.blockcore.Request"));
        CachelineLayout.Slot bytesDone = slot(layout, "bytesDone");
        CachelineLayout.Slot next = slot(layout, "next");
        assertEquals("completer", bytesDone.group());
        assertTrue(CachelineLayout.gap(next, bytesDone) >= CachelineLayout.LINE, layout::render);
    }

    @Test
    void theOldRequestLayoutIsCaught() {
        List<String> v = CachelineLayout.of(OldRequest.class).violations();
        // measured on 620761b: bytesDone at 148, right after the submitter's last field
        assertTrue(v.stream().anyMatch(s -> s.contains("'submitter' and 'completer' are 0 bytes apart")),
                v::toString);
        assertTrue(v.stream().anyMatch(s -> s.startsWith("pad OldRequestPad")), v::toString);
    }

    @Test
    void aFieldDeclaredNextToItsOwnPadIsCaught() {
        // the old SwQueueFields: the "trailing" pad in the same class as the hot fields
        List<String> v = CachelineLayout.of(OldSwQueue.class).violations();
        assertTrue(v.stream().anyMatch(s -> s.contains("is in no @CachelineGroup")), v::toString);
    }

    private static CachelineLayout.Slot slot(CachelineLayout layout, String field) {
        return layout.slots.stream().filter(s -> s.name().equals(field)).findFirst().orElseThrow();
    }

    // ---- the layout before this convention (fixtures) -------------------------------------------

    @CachelineGroup("identity")
    abstract static class OldRequestIdentity {
        Object tags;
        int tag;
        Object pdu;
    }

    @CachelinePad
    abstract static class OldRequestPad1 extends OldRequestIdentity {
        long p01, p02, p03, p04, p05, p06, p07, p08;
    }

    @CachelineGroup(value = "submitter", writer = "the submitter")
    abstract static class OldRequestSubmitter extends OldRequestPad1 {
        Object q, hctx, ctx, op, bio, next;
        int cmdFlags, nrBytes;
        long sector, startTimeNs, allocMs;
        boolean reserved, countedActive;
    }

    @CachelinePad
    abstract static class OldRequestPad2 extends OldRequestSubmitter {
        long p11, p12, p13, p14, p15, p16, p17, p18;
    }

    @CachelineGroup(value = "completer", writer = "the completer")
    static final class OldRequest extends OldRequestPad2 {
        volatile long word;
        long deadlineMs, timerDeadlineNs;
        int bytesDone;
        Object ipiNext;
        long p21, p22, p23, p24, p25, p26, p27;
    }

    static final class OldSwQueue {
        volatile long dispatchSeq;
        volatile int pendingMask;
        Object owner;
        long p10, p11, p12, p13, p14, p15, p16, p17;
    }
}
