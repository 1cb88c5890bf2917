package jblk.bench;

import java.util.Locale;

/** fio's {@code --verify}: which checksum guards each written block. */
enum VerifyMode {
    NONE(0),
    CRC32C(4),
    MD5(16);

    /** Bytes of the checksum in the block header. */
    final int checksumBytes;

    VerifyMode(int checksumBytes) {
        this.checksumBytes = checksumBytes;
    }

    static VerifyMode parse(String s) {
        String v = s.trim().toLowerCase(Locale.ROOT);
        switch (v) {
            case "0":
            case "none":
                return NONE;
            case "crc32c":
            case "crc32c-intel":
                return CRC32C;
            case "md5":
                return MD5;
            default:
                throw new IllegalArgumentException("--verify=" + s + " is invalid: allowed crc32c, md5 (or none)");
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
