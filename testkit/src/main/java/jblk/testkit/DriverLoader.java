package jblk.testkit;

import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import jblk.safety.Operations;

/**
 * Turns {@code --driver-class NAME --classpath JARS} into a {@link DriverFactory}, as
 * {@code modprobe} finds a module: the class is either a {@link DriverFactory} (public no-argument
 * constructor) or an {@link Operations} with a public constructor taking the disk size in bytes
 * ({@code long} or {@code int}) or none.
 */
final class DriverLoader {
    private DriverLoader() {
    }

    static DriverFactory load(String className, String classpath) {
        ClassLoader loader = loader(classpath);
        Class<?> c;
        try {
            c = Class.forName(className, true, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("--driver-class " + className + " was not found"
                    + (classpath == null ? " (no --classpath given)" : " on --classpath " + classpath) + ": " + e);
        }
        if (DriverFactory.class.isAssignableFrom(c)) {
            Constructor<?> k = constructor(c);
            if (k == null || k.getParameterCount() != 0) {
                throw new IllegalArgumentException("--driver-class " + className
                        + " is a DriverFactory without a public no-argument constructor");
            }
            return (DriverFactory) newInstance(k, className);
        }
        if (!Operations.class.isAssignableFrom(c)) {
            throw new IllegalArgumentException("--driver-class " + className + " implements neither "
                    + Operations.class.getName() + " nor " + DriverFactory.class.getName());
        }
        Constructor<?> k = constructor(c);
        if (k == null) {
            throw new IllegalArgumentException("--driver-class " + className
                    + " has no public constructor (long capacityBytes), (int capacityBytes) or ()");
        }
        return bytes -> {
            Object[] args = k.getParameterCount() == 0 ? new Object[0]
                    : k.getParameterTypes()[0] == long.class ? new Object[] {bytes} : new Object[] {(int) bytes};
            return (Operations<?, ?>) newInstance(k, className, args);
        };
    }

    /** The preferred public constructor: (long), then (int), then (). */
    private static Constructor<?> constructor(Class<?> c) {
        for (Class<?>[] sig : List.of(new Class<?>[] {long.class}, new Class<?>[] {int.class}, new Class<?>[0])) {
            try {
                return c.getConstructor(sig);
            } catch (NoSuchMethodException e) {
                // try the next
            }
        }
        return null;
    }

    private static Object newInstance(Constructor<?> k, String className, Object... args) {
        try {
            return k.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("--driver-class " + className + ": its constructor threw " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("--driver-class " + className + " cannot be instantiated: " + e);
        }
    }

    private static ClassLoader loader(String classpath) {
        ClassLoader parent = DriverLoader.class.getClassLoader();
        if (classpath == null || classpath.isBlank()) {
            return parent;
        }
        List<URL> urls = new ArrayList<>();
        for (String p : classpath.split(File.pathSeparator)) {
            if (p.isBlank()) {
                continue;
            }
            File f = new File(p);
            if (!f.exists()) {
                throw new IllegalArgumentException("--classpath entry " + p + " does not exist: allowed jar files"
                        + " and class directories, separated by '" + File.pathSeparator + "'");
            }
            try {
                urls.add(f.toURI().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException("--classpath entry " + p + " is not a valid path: " + e);
            }
        }
        return new URLClassLoader(urls.toArray(new URL[0]), parent);
    }
}
