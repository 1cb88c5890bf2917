/** nbd: an NBD server, so fio, qemu-img, nbdcopy and nbdinfo can drive any jblk disk. */
module jblk.nbd {
    requires transitive jblk.nullblk; // NbdExport's API names GenDisk and BlkStatus
    requires java.management;
    requires jblk.json;
    requires jdk.management; // com.sun.management: CPU time per thread in nbd-bench
    requires info.picocli;

    exports jblk.nbd; // the server is usable as a library (tests, examples)
    opens jblk.nbd to info.picocli;
}
