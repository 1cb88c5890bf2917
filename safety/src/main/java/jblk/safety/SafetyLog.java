package jblk.safety;

/** Where the binding layer reports refusals (DEBUG) and driver exceptions. */
final class SafetyLog {
    static final System.Logger LOG = System.getLogger("jblk.safety");

    private SafetyLog() {
    }
}
