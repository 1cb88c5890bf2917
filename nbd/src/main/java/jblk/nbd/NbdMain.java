package jblk.nbd;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import jblk.blockcore.CloseReport;
import jblk.blockcore.DirectMemory;
import jblk.blockcore.GenDisk;
import jblk.nullblk.DriverKind;
import jblk.nullblk.NullBlkModule;
import jblk.safety.Ownership;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jblk nbd}: loads null_blk with the given parameters and serves device 0 over NBD until
 * SIGINT or SIGTERM, then stops cleanly (no new requests, in-flight I/O finishes, the disk closes
 * and reports what the driver never ended).
 */
@Command(name = "jblk nbd", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve a jblk null_blk disk over the NBD protocol (fixed newstyle, structured replies, "
                + "base:allocation), on a Unix socket or TCP, until SIGINT/SIGTERM.",
            "Connect with e.g. nbdinfo 'nbd+unix:///?socket=PATH', nbdcopy, qemu-img, fio --ioengine=nbd."})
public final class NbdMain implements Callable<Integer> {
    /** picocli fills the options. */
    public NbdMain() {
    }

    static final class Where {
        @Option(names = "--socket", paramLabel = "PATH", description = "Unix domain socket to listen on")
        Path socket;
        @Option(names = "--port", paramLabel = "N", description = "TCP port to listen on (0 = any free port)")
        Integer port;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;

    @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "127.0.0.1",
            description = "address for --port (default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--nullb", paramLabel = "PARAMS", defaultValue = "memory_backed=1 gb=1 discard=1",
            description = "null_blk parameters, as modprobe takes them (default \"${DEFAULT-VALUE}\"); "
                    + "see ./jblk params")
    String nullb;

    @Option(names = "--ioscheduler", paramLabel = "none|mq-deadline",
            description = "the disk's I/O scheduler, as fio names the option (default: the kernel's choice, "
                    + "mq-deadline with submit_queues=1 unless no_sched=1 in --nullb)")
    String ioscheduler;

    @Option(names = "--driver", paramLabel = "raw|safe", defaultValue = "safe",
            description = "null_blk driver (default ${DEFAULT-VALUE})")
    String driver;

    @Option(names = "--ownership", paramLabel = "off|refcount|generation|hpref|owned|debug",
            defaultValue = "generation",
            description = "request ownership checks of the safe driver (default ${DEFAULT-VALUE}); "
                    + "debug prints a leak report at exit")
    String ownership;

    @Option(names = "--export", paramLabel = "NAME", defaultValue = "",
            description = "export name (default: the empty name; \"\" also selects it)")
    String exportName;

    @Option(names = "--readonly", description = "read-only export (writes fail with EPERM)")
    boolean readOnly;

    @Option(names = "--handshake-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "close connections that have not finished the handshake in this time (0 = never; "
                    + "default ${DEFAULT-VALUE})")
    int handshakeTimeout;

    @Option(names = "--spin-us", paramLabel = "US", defaultValue = "50",
            description = "microseconds a connection polls its socket for the next request before it sleeps "
                    + "(at most CPUs-1 connections poll at once; 0 = never poll; default ${DEFAULT-VALUE})")
    long spinUs;

    @Option(names = "--max-connections", paramLabel = "N",
            defaultValue = "" + NbdServer.Options.DEFAULT_MAX_CONNECTIONS,
            description = "connections open at once; more are closed at once with a log line (1.."
                    + NbdServer.Options.MAX_CONNECTIONS_LIMIT + ", default ${DEFAULT-VALUE})")
    int maxConnections;

    @Option(names = "--buffer-memory", paramLabel = "MiB",
            description = "direct memory for connection buffers, apart from the disk's pages; a request that "
                    + "finds none gets ENOMEM (default: 256, or a quarter of -XX:MaxDirectMemorySize if smaller)")
    Long bufferMiB;

    @Option(names = {"-v", "--verbose"}, description = "log every refused option and request")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (verbose) {
            NbdLog.setLevel(NbdLog.Level.DEBUG);
        }
        DriverKind kind = DriverKind.parse(driver);
        Ownership own = Ownership.parse(ownership);
        if (ioscheduler != null) {
            jblk.blockcore.ElevatorType.byName(ioscheduler); // refused before anything is made
        }
        if (handshakeTimeout < 0) {
            throw new IllegalArgumentException("--handshake-timeout " + handshakeTimeout
                    + " is negative: allowed 0 or more");
        }
        long bufferBytes = MemorySplit.bufferBytes(bufferMiB);
        NbdServer.Options options = new NbdServer.Options(Duration.ofSeconds(handshakeTimeout),
                SpinPolicy.of(spinUs * 1000), maxConnections, bufferBytes);
        long pageBudget = MemorySplit.diskPageBudget(bufferBytes);
        if (where.socket != null) {
            // a bad path is refused before the disk is made
            SocketPath.clearStale(where.socket.toAbsolutePath().normalize());
        }
        NullBlkModule module = NullBlkModule.load(nullb, kind, own, pageBudget);
        GenDisk disk = module.device(0).disk();
        if (ioscheduler != null) {
            disk.setScheduler(ioscheduler);
        }
        NbdExport export;
        try {
            export = new NbdExport(disk, exportName, describe(disk, kind, own), readOnly);
        } catch (IllegalArgumentException e) {
            module.close();
            throw e;
        }
        NbdServer server;
        try {
            server = where.socket != null ? NbdServer.unix(export, where.socket, options)
                    : NbdServer.tcp(export, bind, where.port, options);
        } catch (RuntimeException | java.io.IOException e) {
            module.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("nbd: stopping: no new requests; waiting for in-flight I/O");
            server.stop(Duration.ofSeconds(10));
            module.close();
            CloseReport r = disk.closeReport();
            if (r != null && (own == Ownership.DEBUG || !r.leaked().isEmpty() || !r.notes().isEmpty())) {
                System.err.print(r);
            } else if (r != null) {
                System.err.println("nbd: " + disk.name() + " closed clean after " + server.completedRequests()
                        + " request(s)");
            }
            stopped.countDown();
        }, "nbd-shutdown"));
        if (server.listensOnEveryInterface()) {
            System.err.println("nbd: warning: listening on every interface (" + server.uri()
                    + "): anyone who can reach port " + server.port() + " can read"
                    + (readOnly ? "" : " and overwrite") + " this disk, without "
                    + "authentication; --bind 127.0.0.1 (the default) keeps it on this machine");
        }
        System.err.println("nbd: direct memory (-XX:MaxDirectMemorySize " + (DirectMemory.max() >> 20) + " MiB): up to "
                + (pageBudget >> 20) + " MiB for the disk's pages, " + (bufferBytes >> 20)
                + " MiB for connection buffers, "
                + "at most " + maxConnections + " connections");
        System.out.println("nbd: serving " + export.description() + (readOnly ? ", read-only" : "") + " at "
                + server.uri());
        System.out.flush();
        stopped.await();
        return 0;
    }

    static String describe(GenDisk disk, DriverKind kind, Ownership own) {
        long bytes = disk.capacity() << 9;
        String size = bytes % (1L << 30) == 0 ? (bytes >> 30) + " GiB" : bytes % (1L << 20) == 0
                ? (bytes >> 20) + " MiB" : bytes + " bytes";
        return "jblk " + disk.name() + " (" + size + ", " + kind + " driver, ownership " + own + ")";
    }

    /** The command line: a bad value is one line on stderr and exit status 2, no stack trace. */
    static CommandLine commandLine() {
        return commandLine(new NbdMain(), "jblk nbd");
    }

    /**
     * {@code command}'s command line, errors reported as one line prefixed with {@code name}: a bad
     * or missing option (no usage dump; {@code --help} shows it) and a value refused at run time.
     */
    static CommandLine commandLine(Object command, String name) {
        CommandLine cl = new CommandLine(command);
        cl.setParameterExceptionHandler((e, args) -> {
            e.getCommandLine().getErr().println(name + ": " + e.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, cmd, parse) -> {
            cmd.getErr().println(name + ": " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 2;
        });
        return cl;
    }

    public static void main(String[] args) {
        int rc = commandLine().execute(args);
        if (rc != 0) {
            System.exit(rc);
        }
    }
}
