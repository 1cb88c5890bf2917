package jblk.bench;

import java.util.List;

/**
 * {@code ./jblk layout [class ...]}: the pahole-style layout of the hot classes (or the classes
 * named: a simple name among them, or a fully qualified name) on this JVM, with each field's
 * cache-line group and what breaks the convention. Exit status 1 when something does.
 */
public final class LayoutMain {
    private LayoutMain() {
    }

    public static void main(String[] args) throws ClassNotFoundException {
        List<String> names = args.length == 0 ? CachelineLayout.HOT : List.of(args);
        int broken = 0;
        for (String name : names) {
            CachelineLayout layout = CachelineLayout.of(CachelineLayout.resolve(name));
            System.out.print(layout.render());
            for (String v : layout.violations()) {
                System.out.println("\tLAYOUT: " + v);
                broken++;
            }
            System.out.println();
        }
        System.exit(broken == 0 ? 0 : 1);
    }
}
