/**
 * The binding SPI: what a binding layer (safety, the Rust bindings' {@code pub(crate)} side) and
 * the race tests may do to blockcore's requests and a raw C-style driver must not: move the state
 * word ({@link jblk.blockcore.spi.RequestWord}), deliver a completion without touching it ({@link
 * jblk.blockcore.spi.BindingCompletion}), and drive single queue steps ({@link
 * jblk.blockcore.spi.QueueInternals}). blockcore's module-info exports this package only to
 * jblk.safety and jblk.stress.
 */
package jblk.blockcore.spi;
