package jblk.nbd;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * What may be done with the path a Unix socket server is asked to listen on, as nbdkit and
 * nbd-server decide it before {@code bind(2)}: a socket file nobody listens on (left by a server
 * that died) is removed; anything else is left alone and refused with a message naming what is
 * there. The file type comes from {@code st_mode} ({@code S_IFSOCK}), never from an error
 * message's text (which is localised), and a symbolic link is not followed.
 */
final class SocketPath {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private SocketPath() {
    }

    /** Prepares {@code p} for bind: nothing there, or a stale socket file (removed). */
    static void clearStale(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        String what = describe(p);
        if (what != null) {
            throw new IOException("socket path " + p + " is " + what
                    + ": allowed a path where nothing exists yet, or a "
                    + "stale socket file (it is replaced)");
        }
        if (isLive(p)) {
            throw new IOException("socket path " + p + " is a live socket (another server listens on it): stop that "
                    + "server or pick another path");
        }
        Files.delete(p);
    }

    /** Null for a socket file; otherwise what the path is (for the message). */
    private static String describe(Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            return "a symbolic link";
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "a directory";
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return "a regular file";
        }
        int mode;
        try {
            mode = (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return "not known to be a socket (this system does not report file types)";
        }
        return (mode & S_IFMT) == S_IFSOCK ? null : "not a socket (a FIFO or a device)";
    }

    /**
     * Whether a server accepts on the socket file {@code p}. Refused (ECONNREFUSED) means stale.
     * A live server sees a client that connects and leaves during the handshake, which it logs at
     * debug level only, so the probe does not disturb it.
     */
    private static boolean isLive(Path p) throws IOException {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(p));
            return true;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            throw new IOException("socket path " + p + " cannot be probed (" + e.getMessage() + "): remove it or pick "
                    + "another path", e);
        }
    }
}
