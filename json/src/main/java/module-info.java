/**
 * json: the one small JSON reader and writer the tools share (fio's and nbdinfo's output, the
 * compare and bench reports). A leaf: it depends on nothing of jblk's.
 */
module jblk.json {
    exports jblk.json;
}
