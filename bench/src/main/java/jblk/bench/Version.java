package jblk.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** jblk's version, from the build (the Maven project version, filtered into a resource). */
final class Version {
    static final String VERSION = load();

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/jblk-bench-version.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                return p.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through: a version is nice to have, not needed
        }
        return "unknown";
    }

    /** picocli's --version. */
    static final class Provider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"jblk " + VERSION};
        }
    }
}
