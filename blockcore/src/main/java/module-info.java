/**
 * blockcore: blk-mq, the "C side". Drivers see {@code jblk.blockcore} (the raw C API) and the
 * kernel library {@code jblk.blockcore.sbitmap} (lib/sbitmap.c); the binding SPI is exported only to
 * the binding layer and the race tests, as Rust keeps the vtable and the raw tag set {@code pub(crate)}.
 */
@SuppressWarnings("module") // jblk.stress is not on blockcore's module path when blockcore compiles
module jblk.blockcore {
    requires java.management; // DirectMemory: the direct buffer pool's usage

    exports jblk.blockcore;
    exports jblk.blockcore.sbitmap;
    exports jblk.blockcore.spi to jblk.safety, jblk.stress;
}
