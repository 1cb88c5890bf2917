package jblk.blockcore.spi;

import java.lang.invoke.VarHandle;
import jblk.blockcore.GenDisk;
import jblk.blockcore.Request;

/**
 * The door from this SPI into blockcore's package-private internals, after the JDK's {@code
 * SharedSecrets}: blockcore installs the one implementation when {@link Request} is initialised,
 * and the SPI's classes read it into {@code static final} fields, so the JIT sees a constant and
 * inlines through it (no cost on the hot path). Not part of the SPI a binding calls: use {@link
 * RequestWord}, {@link BindingCompletion} and {@link QueueInternals}.
 */
public abstract class SpiBridge {
    private static SpiBridge installed;

    /** Called once, by blockcore; a second call is refused, so no one can replace the door. */
    public static synchronized void install(SpiBridge bridge) {
        if (installed != null) {
            throw new IllegalStateException("SpiBridge already installed");
        }
        installed = bridge;
    }

    static synchronized SpiBridge get() {
        if (installed == null) {
            try {
                // Request's static initialiser installs the bridge.
                Class.forName(Request.class.getName(), true, Request.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        return installed;
    }

    /** The VarHandle on {@code rq->state}'s word (see {@link RequestWord}). */
    protected abstract VarHandle requestWord();

    protected abstract void raiseComplete(Request rq);

    protected abstract boolean expireNow(Request rq);

    protected abstract void requeueWork(GenDisk disk);

    protected abstract int requestsHeld(GenDisk disk);

    protected abstract int requestsAllocated(GenDisk disk);

    protected abstract String initLeftover(Request rq);
}
