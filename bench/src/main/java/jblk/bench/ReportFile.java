package jblk.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A report file named on the command line ({@code --output}, {@code --chart}): like fio's
 * {@code --output}, missing parent directories are created, and that is done before the run
 * starts so a bad path fails in a second rather than after minutes of measuring.
 */
public final class ReportFile {
    private ReportFile() {
    }

    /** Creates {@code file}'s parent directories; a clear error naming {@code option} if that fails. */
    public static void prepare(String option, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(option + "=" + file + ": cannot create the directory " + parent
                    + ": " + e);
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(option + "=" + file + " is a directory: expected a file name");
        }
        // Open it for writing now (and remove it again if it did not exist), so an unwritable
        // path fails before the run rather than losing the report after it.
        boolean existed = Files.exists(file);
        try (OutputStream o = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            o.flush();
        } catch (IOException e) {
            String why = e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null
                    ? ((java.nio.file.FileSystemException) e).getReason() : e.getMessage();
            throw new IllegalArgumentException(option + "=" + file + " cannot be written: " + why
                    + " (allowed a file this user may create or overwrite)");
        }
        if (!existed) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // an empty file stays; the report overwrites it
            }
        }
    }

    /** Writes {@code text} as UTF-8, creating parent directories as needed. */
    public static void write(String option, Path file, String text) {
        prepare(option, file);
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + "=" + file + ": cannot write: " + e);
        }
    }
}
