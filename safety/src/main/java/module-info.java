/**
 * safety: the Rust-style bindings ({@code rust/kernel/block/mq}). Drivers see {@code jblk.safety}
 * and, through it, blockcore's public API; the race tests' door into the binding is exported to
 * jblk.stress alone.
 */
@SuppressWarnings("module") // jblk.stress is not on safety's module path when safety compiles
module jblk.safety {
    requires transitive jblk.blockcore;

    exports jblk.safety;
    exports jblk.safety.race to jblk.stress;
}
