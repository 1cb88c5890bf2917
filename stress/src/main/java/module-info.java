/**
 * stress: the jcstress race tests and the torture run. The only module besides safety that reads
 * the binding SPI (jblk.blockcore.spi) and safety's race door (jblk.safety.race): its tests drive
 * single steps of the real code.
 */
// jcstress-core names no module (an automatic module); the shaded jar runs on the class path.
@SuppressWarnings("requires-automatic")
module jblk.stress {
    requires jblk.nullblk;
    requires jblk.testkit;
    requires java.logging; // refusal and close reports are captured from java.util.logging
    requires info.picocli;
    requires jcstress.core;

    opens jblk.stress to info.picocli;
    opens jblk.stress.blockcore to jcstress.core;
    opens jblk.stress.safety to jcstress.core;
}
