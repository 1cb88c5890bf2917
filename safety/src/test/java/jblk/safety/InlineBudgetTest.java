package jblk.safety;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The checked end costs one CAS only while C2 inlines the state machine into the caller, where
 * the operation and the role are constants and the transition folds to a few instructions.
 * C2 refuses to inline a hot callee larger than {@code FreqInlineSize} bytecodes ("hot method
 * too big"); {@code OwnershipWord.next} was 706 bytes once and cost an extra ~3 ns per request
 * as a real call (PrintInlining showed it). This guards the budget of every method on the path.
 */
class InlineBudgetTest {
    /** OwnershipWord's methods that run on every checked issue and end. */
    private static final String[] HOT = {"next", "phase", "mayAct", "exclusive", "apply", "issue",
        "issueNext", "endNext", "completeNext", "armTimerNext", "requeueNext", "shareNext", "releaseNext",
        "accessNext", "lookupNext", "deliverNext", "base", "refused"};

    @Test
    void everyMethodOnTheCheckedPathFitsC2sHotInlineBudget() throws IOException {
        int budget = freqInlineSize();
        Map<String, Integer> sizes = bytecodeSizes(OwnershipWord.class);
        for (String m : HOT) {
            Integer size = sizes.get(m);
            assertTrue(size != null, "OwnershipWord." + m + " not found; update this test's list");
            assertTrue(size <= budget, "OwnershipWord." + m + " is " + size + " bytecodes, over C2's FreqInlineSize "
                    + budget + ": it would be called instead of inlined on every request (split it)");
        }
    }

    private static int freqInlineSize() {
        HotSpotDiagnosticMXBean hs = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        return Integer.parseInt(hs.getVMOption("FreqInlineSize").getValue());
    }

    /**
     * Bytecode length of each method (the largest overload): the {@code code_length} of its Code
     * attribute, read from the class file (JVMS 4.1, 4.4, 4.6, 4.7.3).
     */
    static Map<String, Integer> bytecodeSizes(Class<?> c) throws IOException {
        Map<String, Integer> sizes = new HashMap<>();
        try (DataInputStream in = new DataInputStream(c.getResourceAsStream(c.getSimpleName() + ".class"))) {
            in.skipBytes(8); // magic, minor, major
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1: utf8[i] = in.readUTF(); break;
                    case 7: case 8: case 16: case 19: case 20: in.skipBytes(2); break;
                    case 15: in.skipBytes(3); break;
                    case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: in.skipBytes(4); break;
                    case 5: case 6: in.skipBytes(8); i++; break; // long and double take two slots
                    default: throw new IOException("constant pool tag " + tag + " at " + i);
                }
            }
            in.skipBytes(6); // access, this, super
            in.skipBytes(2 * in.readUnsignedShort()); // interfaces
            for (int f = in.readUnsignedShort(); f > 0; f--) {
                in.skipBytes(6);
                skipAttributes(in);
            }
            for (int m = in.readUnsignedShort(); m > 0; m--) {
                in.skipBytes(2);
                String name = utf8[in.readUnsignedShort()];
                in.skipBytes(2);
                for (int a = in.readUnsignedShort(); a > 0; a--) {
                    String attr = utf8[in.readUnsignedShort()];
                    int len = in.readInt();
                    if (attr.equals("Code")) {
                        in.skipBytes(4); // max_stack, max_locals
                        int codeLength = in.readInt();
                        sizes.merge(name, codeLength, Math::max);
                        in.skipBytes(len - 8);
                    } else {
                        in.skipBytes(len);
                    }
                }
            }
        }
        return sizes;
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        for (int a = in.readUnsignedShort(); a > 0; a--) {
            in.skipBytes(2);
            in.skipBytes(in.readInt());
        }
    }
}
