package jblk.nbd;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.URLEncoder;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An NBD server for one {@link NbdExport} (the role of {@code nbd-server} / {@code nbdkit}) on a
 * Unix domain socket or a TCP port: accepts clients, runs each connection on its own threads
 * ({@link NbdConnection}), and stops cleanly: no new connections or requests, in-flight I/O
 * completes and is answered, sockets close. The disk itself belongs to the caller.
 */
public final class NbdServer implements AutoCloseable {
    /**
     * Server settings: how long a client may take to finish the handshake (zero: forever), and
     * how connections poll their sockets before sleeping.
     */
    public record Options(Duration handshakeTimeout, SpinPolicy spin) {
        public Options {
            if (handshakeTimeout == null || handshakeTimeout.isNegative()) {
                throw new IllegalArgumentException("handshake timeout " + handshakeTimeout + " is invalid: allowed 0 or more");
            }
            if (spin == null) {
                throw new IllegalArgumentException("spin policy must not be null");
            }
        }

        /** 60 s handshake timeout; 50 us polling by at most CPUs - 1 readers. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(60), SpinPolicy.of(SpinPolicy.DEFAULT_SPIN_NANOS));
        }

        public Options withHandshakeTimeout(Duration d) {
            return new Options(d, spin);
        }

        public Options withSpin(SpinPolicy s) {
            return new Options(handshakeTimeout, s);
        }
    }

    private final NbdExport export;
    private final ServerSocketChannel listener;
    private final SocketAddress address;
    private final Path socketPath;
    private final Duration handshakeTimeout;
    private final SpinPolicy spin;
    private final Set<NbdConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final ScheduledThreadPoolExecutor timer;
    private final Thread acceptor;
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong internalErrors = new AtomicLong();
    private final AtomicLong allocated = new AtomicLong();
    private volatile boolean closing;

    private NbdServer(NbdExport export, ServerSocketChannel listener, SocketAddress address, Path socketPath,
            Options options) {
        this.export = export;
        this.listener = listener;
        this.address = address;
        this.socketPath = socketPath;
        this.handshakeTimeout = options.handshakeTimeout();
        this.spin = options.spin();
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "nbd-" + export.disk().name() + "-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.acceptor = new Thread(this::acceptLoop, "nbd-" + export.disk().name() + "-accept");
        acceptor.setDaemon(true);
    }

    /** Serves {@code export} on a Unix domain socket at {@code path} (a stale socket file is replaced). */
    public static NbdServer unix(NbdExport export, Path path) throws IOException {
        return unix(export, path, Options.defaults());
    }

    public static NbdServer unix(NbdExport export, Path path, Options options) throws IOException {
        Path p = path.toAbsolutePath();
        if (Files.exists(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            if (!isStaleSocket(p)) {
                throw new IOException("socket path " + p + " exists and is not a stale socket: remove it or pick another path");
            }
            Files.delete(p);
        }
        ServerSocketChannel ssc = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        UnixDomainSocketAddress a = UnixDomainSocketAddress.of(p);
        try {
            ssc.bind(a);
        } catch (IOException e) {
            ssc.close();
            throw new IOException("cannot listen on Unix socket " + p + ": " + e.getMessage(), e);
        }
        return start(new NbdServer(export, ssc, a, p, options));
    }

    /** Serves {@code export} on TCP {@code bind:port} (port 0 picks a free port). */
    public static NbdServer tcp(NbdExport export, String bind, int port) throws IOException {
        return tcp(export, bind, port, Options.defaults());
    }

    public static NbdServer tcp(NbdExport export, String bind, int port, Options options) throws IOException {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range: allowed 0..65535");
        }
        ServerSocketChannel ssc = ServerSocketChannel.open();
        try {
            ssc.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ssc.bind(new InetSocketAddress(bind, port), 64);
        } catch (IOException e) {
            ssc.close();
            throw new IOException("cannot listen on " + bind + ":" + port + ": " + e.getMessage(), e);
        }
        return start(new NbdServer(export, ssc, ssc.getLocalAddress(), null, options));
    }

    private static NbdServer start(NbdServer s) {
        s.acceptor.start();
        return s;
    }

    /** A socket file nobody listens on (left by a server that died). */
    private static boolean isStaleSocket(Path p) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(p));
            return false; // somebody answers: in use
        } catch (IOException e) {
            String m = String.valueOf(e.getMessage());
            return m.contains("Connection refused");
        }
    }

    private void acceptLoop() {
        while (!closing) {
            SocketChannel c;
            try {
                c = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closing) {
                    return;
                }
                NbdLog.warn("accept failed: " + e);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException ie) {
                    return;
                }
                continue;
            }
            try {
                String peer = socketPath != null ? "unix" : String.valueOf(c.getRemoteAddress());
                if (socketPath == null) {
                    c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                long id = nextId.getAndIncrement();
                NbdConnection conn = new NbdConnection(this, c, export, id, peer);
                Thread t = new Thread(() -> {
                    try {
                        conn.run();
                    } finally {
                        threads.remove(Thread.currentThread());
                    }
                }, "nbd-" + export.disk().name() + "-c" + id);
                t.setDaemon(true);
                connections.add(conn);
                threads.add(t);
                accepted.incrementAndGet();
                if (closing) {
                    conn.shutdown();
                }
                t.start();
                if (!handshakeTimeout.isZero()) {
                    conn.handshakeTimer(timer.schedule(conn::handshakeExpired, handshakeTimeout.toMillis(),
                            TimeUnit.MILLISECONDS));
                }
                NbdLog.debug("c" + id + ": connected (" + peer + ")");
            } catch (IOException | RuntimeException e) {
                NbdLog.warn("could not start a connection: " + e);
                try {
                    c.close();
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    void closed(NbdConnection c, long nrRequests, long nrRefused, long allocatedBytes) {
        allocated.addAndGet(allocatedBytes);
        requests.addAndGet(nrRequests);
        refused.addAndGet(nrRefused);
        connections.remove(c);
    }

    /** A connection died of a server bug (not of anything a client sent): counted and printed. */
    void internalError(Throwable t) {
        internalErrors.incrementAndGet();
        t.printStackTrace();
    }

    /** Connections that ended with a server bug: 0 unless something is wrong with the server. */
    public long internalErrors() {
        return internalErrors.get();
    }

    SpinPolicy spinPolicy() {
        return spin;
    }

    public NbdExport export() {
        return export;
    }

    public SocketAddress address() {
        return address;
    }

    /** The Unix socket path, or null for TCP. */
    public Path socketPath() {
        return socketPath;
    }

    /** The TCP port, or -1 for a Unix socket. */
    public int port() {
        return address instanceof InetSocketAddress ? ((InetSocketAddress) address).getPort() : -1;
    }

    /** The NBD URI clients use (nbd+unix:///NAME?socket=PATH or nbd://HOST:PORT/NAME). */
    public String uri() {
        String name = URLEncoder.encode(export.name(), StandardCharsets.UTF_8).replace("+", "%20");
        if (socketPath != null) {
            return "nbd+unix:///" + name + "?socket=" + socketPath;
        }
        InetSocketAddress a = (InetSocketAddress) address;
        String host = a.getAddress().isAnyLocalAddress() ? "localhost" : a.getHostString();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "nbd://" + host + ":" + a.getPort() + "/" + name;
    }

    /** Connections open now (handshaking or transmitting). */
    public int activeConnections() {
        return connections.size();
    }

    /** Connections accepted since start. */
    public long acceptedConnections() {
        return accepted.get();
    }

    /** Requests handled by connections that have closed, and how many of them were refused. */
    public long completedRequests() {
        return requests.get();
    }

    public long refusedRequests() {
        return refused.get();
    }

    /**
     * Heap bytes the connection threads (reader and sender) allocated during the transmission phase
     * of connections that have closed, setup included; 0 on JVMs that do not count allocation.
     * Completion threads of the disk are not included (with irqmode=0 there are none).
     */
    public long transmissionAllocatedBytes() {
        return allocated.get();
    }

    /** Waits until no connection is open; false on timeout. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!connections.isEmpty()) {
            if (System.nanoTime() > end) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    /**
     * Stops: no new connections; every connection stops reading (requests already received are
     * answered ESHUTDOWN), waits for its in-flight I/O and sends the replies, then closes. After
     * {@code grace} the sockets of connections still open (a client not reading its replies) are
     * closed by force. Returns when every connection thread ended.
     */
    public void stop(Duration grace) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // stopping anyway
        }
        List<NbdConnection> open = new ArrayList<>(connections);
        for (NbdConnection c : open) {
            c.shutdown();
        }
        long end = System.nanoTime() + grace.toNanos();
        boolean forced = false;
        while (!threads.isEmpty()) {
            if (!forced && System.nanoTime() > end) {
                for (NbdConnection c : connections) {
                    NbdLog.warn(c.who + ": still open " + grace.toMillis() + " ms after shutdown; closing its socket");
                    c.abort();
                }
                forced = true;
            }
            for (Thread t : threads) {
                try {
                    t.join(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timer.shutdownNow();
        if (socketPath != null) {
            try {
                Files.deleteIfExists(socketPath);
            } catch (IOException e) {
                NbdLog.warn("could not remove " + socketPath + ": " + e);
            }
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
