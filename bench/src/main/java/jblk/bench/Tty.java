package jblk.bench;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * Whether standard output is a terminal ({@code isatty(1)}), for the progress line. Up to JDK 21
 * {@link System#console()} is null unless both ends are terminals; from JDK 22 it is never null and
 * {@code Console.isTerminal()} (absent on 17) answers, so it is looked up by name.
 */
final class Tty {
    private Tty() {
    }

    @SuppressWarnings("SystemConsoleNull") // null answers on JDK 17-21; isTerminal() is asked where it exists
    static boolean isTerminal() {
        Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(c);
        } catch (NoSuchMethodException e) {
            return true; // JDK 17-21: a console exists only on a terminal
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }
}
