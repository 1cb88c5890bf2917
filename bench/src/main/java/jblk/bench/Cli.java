package jblk.bench;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;

/** What the command-line tools share: picocli set up so a bad option gives one clear line and status 2. */
final class Cli {
    static final int USAGE = 2;

    private Cli() {
    }

    static int execute(Callable<Integer> command, String name, String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setParameterExceptionHandler((ex, a) -> {
            err.println(name + ": " + ex.getMessage() + " (see --help)");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof IllegalArgumentException) {
                err.println(name + ": " + ex.getMessage());
                return USAGE;
            }
            err.println(name + ": failed: " + ex);
            ex.printStackTrace(err);
            return 1;
        });
        return cl.execute(args);
    }

    /** A fio boolean: 1/0, true/false, yes/no, on/off. */
    static boolean bool(String option, String v) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "1":
            case "true":
            case "yes":
            case "on":
                return true;
            case "0":
            case "false":
            case "no":
            case "off":
                return false;
            default:
                throw new IllegalArgumentException("--" + option + "=" + v + " is invalid: allowed 0 or 1");
        }
    }
}
