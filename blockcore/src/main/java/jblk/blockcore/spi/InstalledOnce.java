package jblk.blockcore.spi;

/**
 * A door installed once by the module that owns the internals behind it (the JDK's {@code
 * SharedSecrets}): {@link #get} initialises the owner's class, whose static initialiser calls
 * {@link #install}; a second install is refused, so nothing can replace the door. Callers keep the
 * result in a {@code static final} field, which the JIT treats as a constant.
 */
public final class InstalledOnce<T> {
    private final Class<?> installer;
    private T door;

    /** {@code installer}: the class whose static initialiser installs the door. */
    public InstalledOnce(Class<?> installer) {
        this.installer = installer;
    }

    public synchronized void install(T d) {
        if (door != null) {
            throw new IllegalStateException(installer.getName() + " already installed its door");
        }
        door = d;
    }

    public synchronized T get() {
        if (door == null) {
            try {
                Class.forName(installer.getName(), true, installer.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new ExceptionInInitializerError(e);
            }
            if (door == null) {
                // Called from inside the installer's own initialiser: read the door later instead.
                throw new IllegalStateException(installer.getName() + " has not installed its door yet");
            }
        }
        return door;
    }
}
