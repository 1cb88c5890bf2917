package jblk.bench;

import java.lang.management.ManagementFactory;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * HotSpot's {@code jcmd} commands run in-process through the DiagnosticCommand MBean (no attach, no
 * child process): {@code threadPrint} (Thread.print), {@code compilerQueue} (Compiler.queue) and
 * {@code compilerCodelist} (Compiler.codelist).
 */
final class DiagnosticCommand {
    private DiagnosticCommand() {
    }

    /** The text {@code jcmd PID <op>} would print, for an operation without arguments. */
    static String invoke(String op) throws JMException {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), op,
                new Object[] {new String[0]}, new String[] {String[].class.getName()}));
    }
}
