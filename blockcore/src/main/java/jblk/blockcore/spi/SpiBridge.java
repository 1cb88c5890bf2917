package jblk.blockcore.spi;

import java.lang.invoke.VarHandle;
import jblk.blockcore.GenDisk;
import jblk.blockcore.Request;

/**
 * The door from this SPI into blockcore's package-private internals ({@link InstalledOnce}):
 * blockcore installs the one implementation when {@link Request} is initialised, and the SPI's
 * classes read it into {@code static final} fields, so the JIT sees a constant and inlines through
 * it (no cost on the hot path). Not part of the SPI a binding calls: use {@link
 * RequestWord}, {@link BindingCompletion} and {@link QueueInternals}.
 */
public abstract class SpiBridge {
    private static final InstalledOnce<SpiBridge> DOOR = new InstalledOnce<>(Request.class);

    /** Called once, by blockcore's {@link Request}; a second call is refused. */
    public static void install(SpiBridge bridge) {
        DOOR.install(bridge);
    }

    static SpiBridge get() {
        return DOOR.get();
    }

    /** The VarHandle on {@code rq->state}'s word (see {@link RequestWord}). */
    protected abstract VarHandle requestWord();

    protected abstract void raiseComplete(Request rq);

    protected abstract boolean expireNow(Request rq);

    protected abstract void requeueWork(GenDisk disk);

    protected abstract int requestsHeld(GenDisk disk);

    protected abstract int requestsAllocated(GenDisk disk);

    protected abstract String initLeftover(Request rq);

    protected abstract int lvRef(Request rq);

    protected abstract boolean casRef(Request rq, int expect, int update);

    protected abstract void refSet(Request rq, int v);

    protected abstract void endRequestPutDone(Request rq, jblk.blockcore.BlkStatus status);

    protected abstract jblk.blockcore.HazardPointers hazards(Request rq);
}
