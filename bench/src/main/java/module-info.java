/**
 * bench: {@code ./jblk compare}, the fio-style {@code ./jblk bench} and the JMH suite. An
 * application: it exports nothing; picocli and JMH reach its classes reflectively.
 */
// jmh-core and HdrHistogram name no module (automatic modules); the shaded jar runs on the class path.
@SuppressWarnings("requires-automatic")
module jblk.bench {
    requires jblk.nullblk;
    requires jblk.json;
    requires java.desktop; // the PNG chart (java.awt, javax.imageio)
    requires java.management;
    requires jdk.management; // com.sun.management.ThreadMXBean: bytes allocated per thread
    requires info.picocli;
    requires jmh.core;
    requires HdrHistogram;
    requires org.knowm.xchart;
    requires jol.core; // ./jblk layout and the layout test (automatic module)
    requires org.jctools.core; // the completion-list benchmark

    opens jblk.bench to info.picocli;
    opens jblk.bench.jmh to jmh.core;
}
