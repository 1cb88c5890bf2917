package jblk.arch;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.LocationProvider;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * jblk's modules as the ArchUnit tests see them: each module's main classes (its {@code
 * target/classes}, so a class's module is where its class file is) and the packages it owns.
 */
public final class JblkModules implements LocationProvider {
    /** Module directory -> the package prefixes it owns, in dependency order. */
    static final Map<String, List<String>> PACKAGES = new LinkedHashMap<>();

    static {
        PACKAGES.put("blockcore", List.of("jblk.blockcore"));
        PACKAGES.put("safety", List.of("jblk.safety"));
        PACKAGES.put("testkit", List.of("jblk.testkit"));
        PACKAGES.put("json", List.of("jblk.json"));
        PACKAGES.put("nullblk", List.of("jblk.nullblk"));
        PACKAGES.put("bench", List.of("jblk.bench"));
        PACKAGES.put("stress", List.of("jblk.stress"));
        PACKAGES.put("nbd", List.of("jblk.nbd"));
    }

    /** The repository root (set by the pom; the module's parent directory otherwise). */
    static Path root() {
        return Path.of(System.getProperty("jblk.root", "..")).toAbsolutePath().normalize();
    }

    static Path classesOf(String module) {
        return root().resolve(module).resolve("target").resolve("classes");
    }

    @Override
    public Set<Location> get(Class<?> testClass) {
        return PACKAGES.keySet().stream()
                .map(m -> Location.of(classesOf(m)))
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** The module whose target/classes holds {@code c}, if any. */
    static Optional<String> moduleOf(JavaClass c) {
        String uri = c.getSource().map(s -> s.getUri().toString()).orElse("");
        return PACKAGES.keySet().stream()
                .filter(m -> uri.startsWith(classesOf(m).toUri().toString()))
                .findFirst();
    }

    /** Whether {@code module} owns {@code pkg} (the package itself or one under it). */
    static boolean owns(String module, String pkg) {
        return PACKAGES.get(module).stream().anyMatch(p -> pkg.equals(p) || pkg.startsWith(p + "."));
    }
}
