package jblk.nbd;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
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
     * Server settings: how long a client may take to finish the handshake (zero: forever), how
     * connections poll their sockets before sleeping, how many connections may be open at once,
     * and the direct memory connection buffers may use (apart from the disk's pages).
     */
    public record Options(Duration handshakeTimeout, SpinPolicy spin, int maxConnections, long bufferMemory) {
        /** Default and largest {@code --max-connections}. */
        public static final int DEFAULT_MAX_CONNECTIONS = 64;
        public static final int MAX_CONNECTIONS_LIMIT = 4096;

        public Options {
            if (handshakeTimeout == null || handshakeTimeout.isNegative()) {
                throw new IllegalArgumentException("handshake timeout " + handshakeTimeout
                        + " is invalid: allowed 0 or more");
            }
            if (spin == null) {
                throw new IllegalArgumentException("spin policy must not be null");
            }
            if (maxConnections < 1 || maxConnections > MAX_CONNECTIONS_LIMIT) {
                throw new IllegalArgumentException("--max-connections " + maxConnections
                        + " is out of range: allowed 1.."
                        + MAX_CONNECTIONS_LIMIT);
            }
            long min = NbdConnection.INPUT_BUFFER + (long) RequestSlot.MIN_BUFFER;
            if (bufferMemory < min) {
                throw new IllegalArgumentException("--buffer-memory " + bufferMemory
                        + " bytes is too small: allowed at least "
                        + min + " bytes (one connection's input buffer and one page)");
            }
        }

        public Options(Duration handshakeTimeout, SpinPolicy spin) {
            this(handshakeTimeout, spin, DEFAULT_MAX_CONNECTIONS, BufferPool.defaultBudget());
        }

        /**
         * 60 s handshake timeout; 50 us polling by at most CPUs - 1 readers; 64 connections;
         * buffer memory 256 MiB or a quarter of the JVM's direct memory, whichever is smaller.
         */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(60), SpinPolicy.of(SpinPolicy.DEFAULT_SPIN_NANOS));
        }

        public Options withHandshakeTimeout(Duration d) {
            return new Options(d, spin, maxConnections, bufferMemory);
        }

        public Options withSpin(SpinPolicy s) {
            return new Options(handshakeTimeout, s, maxConnections, bufferMemory);
        }

        public Options withMaxConnections(int n) {
            return new Options(handshakeTimeout, spin, n, bufferMemory);
        }

        public Options withBufferMemory(long bytes) {
            return new Options(handshakeTimeout, spin, maxConnections, bytes);
        }
    }

    /** Listen backlog: a burst of connects waits in the kernel's queue instead of failing (EAGAIN). */
    static final int BACKLOG = 4096;

    private final NbdExport export;
    private final ServerSocketChannel listener;
    private final SocketAddress address;
    private final Path socketPath;
    private final Duration handshakeTimeout;
    private final SpinPolicy spin;
    private final int maxConnections;
    private final BufferPool buffers;
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
    private final AtomicLong turnedAway = new AtomicLong();
    private volatile boolean closing;

    private NbdServer(NbdExport export, ServerSocketChannel listener, SocketAddress address, Path socketPath,
            Options options) {
        this.export = export;
        this.listener = listener;
        this.address = address;
        this.socketPath = socketPath;
        this.handshakeTimeout = options.handshakeTimeout();
        this.spin = options.spin();
        this.maxConnections = options.maxConnections();
        this.buffers = new BufferPool(options.bufferMemory());
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "nbd-" + export.disk().name() + "-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        this.acceptor = new Thread(this::acceptLoop, "nbd-" + export.disk().name() + "-accept");
        acceptor.setDaemon(true);
    }

    /**
     * Serves {@code export} on a Unix domain socket at {@code path}. A stale socket file (nobody
     * listens on it) is replaced; anything else at the path (a live socket, a regular file, a
     * directory, a FIFO, a symbolic link) is left alone and refused.
     */
    public static NbdServer unix(NbdExport export, Path path) throws IOException {
        return unix(export, path, Options.defaults());
    }

    public static NbdServer unix(NbdExport export, Path path, Options options) throws IOException {
        Path p = path.toAbsolutePath().normalize();
        SocketPath.clearStale(p);
        ServerSocketChannel ssc = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        UnixDomainSocketAddress a = UnixDomainSocketAddress.of(p);
        try {
            ssc.bind(a, BACKLOG);
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
        InetSocketAddress where = new InetSocketAddress(bind, port);
        if (where.isUnresolved()) {
            throw new IllegalArgumentException("--bind " + bind
                    + " cannot be resolved: allowed an IP address or a host "
                    + "name this machine resolves (e.g. 127.0.0.1, ::1, localhost)");
        }
        // The address's own family: a dual-stack socket would report 0.0.0.0 as :: (and listen on IPv6 too).
        ServerSocketChannel ssc = ServerSocketChannel.open(where.getAddress() instanceof java.net.Inet4Address
                ? StandardProtocolFamily.INET : StandardProtocolFamily.INET6);
        try {
            ssc.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ssc.bind(where, BACKLOG);
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

    /**
     * Accepts until closed. Nothing a client or the machine does ends this loop: a connection
     * that cannot be set up (too many open, no buffer memory, even an Error such as
     * OutOfMemoryError) is closed and logged, and the loop goes on.
     */
    private void acceptLoop() {
        while (!closing) {
            SocketChannel c;
            try {
                c = listener.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException | Error e) {
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
                admit(c);
            } catch (IOException | RuntimeException | Error e) {
                turnAway(c, "could not start a connection: " + e);
            }
        }
    }

    private void admit(SocketChannel c) throws IOException {
        if (connections.size() >= maxConnections) {
            turnAway(c, "refused a connection: " + connections.size() + " open, the limit is " + maxConnections
                    + " (--max-connections)");
            return;
        }
        ByteBuffer input = buffers.tryAcquire(NbdConnection.INPUT_BUFFER);
        if (input == null) {
            turnAway(c, "refused a connection: no buffer memory for it (" + (buffers.inUse() >> 10) + " KiB of "
                    + (buffers.budget() >> 10) + " KiB in use by " + connections.size()
                    + " connection(s); --buffer-memory)");
            return;
        }
        NbdConnection conn;
        try {
            String peer = socketPath != null ? "unix" : String.valueOf(c.getRemoteAddress());
            if (socketPath == null) {
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
            }
            conn = new NbdConnection(this, c, export, nextId.getAndIncrement(), peer, input);
        } catch (IOException | RuntimeException | Error e) {
            buffers.release(input);
            throw e;
        }
        Thread t = new Thread(() -> {
            try {
                conn.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        }, "nbd-" + export.disk().name() + "-c" + conn.id);
        t.setDaemon(true);
        connections.add(conn);
        threads.add(t);
        try {
            t.start();
        } catch (RuntimeException | Error e) {
            // no thread (e.g. the OS refused one): nothing ran, so nothing but the buffer to undo
            connections.remove(conn);
            threads.remove(t);
            buffers.release(input);
            throw e;
        }
        accepted.incrementAndGet();
        if (closing) {
            conn.shutdown();
        }
        if (!handshakeTimeout.isZero()) {
            conn.handshakeTimer(timer.schedule(conn::handshakeExpired, handshakeTimeout.toMillis(),
                    TimeUnit.MILLISECONDS));
        }
        NbdLog.debug(conn.who + ": connected");
    }

    /** Closes a connection the server will not serve: one log line, the client sees end of stream at once. */
    private void turnAway(SocketChannel c, String why) {
        turnedAway.incrementAndGet();
        NbdLog.warn(why);
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing more to do
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

    BufferPool buffers() {
        return buffers;
    }

    /** Connections closed at once because of the connection limit or buffer memory (or a setup failure). */
    public long turnedAwayConnections() {
        return turnedAway.get();
    }

    /** Bytes of connection buffers that exist now (in use or kept for reuse): at most the buffer memory. */
    public long bufferBytesReserved() {
        return buffers.reserved();
    }

    public long bufferMemory() {
        return buffers.budget();
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
        return address instanceof InetSocketAddress inet ? inet.getPort() : -1;
    }

    /** Whether the server listens on every interface (a TCP wildcard address such as 0.0.0.0 or ::). */
    public boolean listensOnEveryInterface() {
        return address instanceof InetSocketAddress inet && inet.getAddress().isAnyLocalAddress();
    }

    /** The NBD URI of where the server listens (nbd+unix:///NAME?socket=PATH or nbd://ADDRESS:PORT/NAME). */
    public String uri() {
        String name = URLEncoder.encode(export.name(), StandardCharsets.UTF_8).replace("+", "%20");
        if (socketPath != null) {
            return "nbd+unix:///" + name + "?socket=" + socketPath;
        }
        InetSocketAddress a = (InetSocketAddress) address;
        String host = a.getAddress().getHostAddress(); // as bound: 0.0.0.0 when every interface
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
        try {
            // First the acceptor: a connection it is admitting now must be in the sets below.
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
