/** nullblk: drivers/block/null_blk, raw (C style) and safe (rnull style) over one engine. */
module jblk.nullblk {
    requires transitive jblk.safety;

    exports jblk.nullblk;
}
