package dev.mqttharness.spec.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Finds {@link Verifies} annotations that name statements their version's catalog does not hold,
 * so that every module can guard its own references with one line:
 *
 * <pre>{@code
 * @Test
 * void every_verifies_names_a_catalog_statement() {
 *     VerifiesScanner.requireKnown(VerifiesScanner.classesIn("dev.mqttharness.suite"));
 * }
 * }</pre>
 *
 * Classes, their declared methods and fields, and their nested classes are scanned.
 */
public final class VerifiesScanner {

    /**
     * One annotation with IDs unknown to the catalog of its version.
     *
     * @param element    where the annotation sits, e.g. {@code a.b.C#method}
     * @param annotation the annotation as written
     * @param unknownIds the IDs of it that {@link Catalog#exists} rejects
     */
    public record UnknownReference(String element, Verifies annotation, List<String> unknownIds) {
        public UnknownReference {
            unknownIds = List.copyOf(unknownIds);
        }

        @Override
        public String toString() {
            return element + ": " + String.join(", ", unknownIds) + " not in the MQTT "
                    + annotation.version().catalogVersion().label() + " catalog";
        }
    }

    private VerifiesScanner() {
    }

    /** Every {@code @Verifies} on these classes (and their members and nested classes) naming an unknown ID. */
    public static List<UnknownReference> unknownReferences(Collection<Class<?>> classes) {
        Catalog catalog = Catalog.get();
        List<UnknownReference> out = new ArrayList<>();
        for (Class<?> c : expandNested(classes)) {
            check(catalog, c.getName(), c, out);
            for (Method m : c.getDeclaredMethods()) {
                check(catalog, c.getName() + "#" + m.getName(), m, out);
            }
            for (Field f : c.getDeclaredFields()) {
                check(catalog, c.getName() + "." + f.getName(), f, out);
            }
        }
        return out;
    }

    public static List<UnknownReference> unknownReferences(Class<?>... classes) {
        return unknownReferences(List.of(classes));
    }

    /** Throws an {@link AssertionError} listing every unknown reference, if there is any. */
    public static void requireKnown(Collection<Class<?>> classes) {
        List<UnknownReference> unknown = unknownReferences(classes);
        if (!unknown.isEmpty()) {
            StringBuilder sb = new StringBuilder(unknown.size() + " @Verifies reference(s) to unknown statements:");
            for (UnknownReference u : unknown) {
                sb.append("\n  ").append(u);
            }
            throw new AssertionError(sb.toString());
        }
    }

    public static void requireKnown(Class<?>... classes) {
        requireKnown(List.of(classes));
    }

    /**
     * The classes of a package and its sub-packages found on the context class loader's class path
     * (directories and jars), for scanning a module's own classes.
     */
    public static List<Class<?>> classesIn(String packageName) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = VerifiesScanner.class.getClassLoader();
        }
        String path = packageName.replace('.', '/');
        Set<String> names = new LinkedHashSet<>();
        try {
            Enumeration<URL> roots = loader.getResources(path);
            while (roots.hasMoreElements()) {
                URL url = roots.nextElement();
                if ("file".equals(url.getProtocol())) {
                    Path dir = Paths.get(url.toURI());
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                            String rel = dir.relativize(p).toString().replace('\\', '/');
                            names.add(path + "/" + rel);
                        });
                    }
                } else if ("jar".equals(url.getProtocol())) {
                    JarURLConnection conn = (JarURLConnection) url.openConnection();
                    conn.setUseCaches(false);
                    try (JarFile jar = conn.getJarFile()) {
                        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                            String n = e.nextElement().getName();
                            if (n.startsWith(path + "/") && n.endsWith(".class")) {
                                names.add(n);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            String cn = n.substring(0, n.length() - ".class".length()).replace('/', '.');
            if (cn.endsWith("module-info") || cn.endsWith("package-info")) {
                continue;
            }
            try {
                out.add(Class.forName(cn, false, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + cn, e);
            }
        }
        return out;
    }

    private static Set<Class<?>> expandNested(Collection<Class<?>> classes) {
        Set<Class<?>> all = new LinkedHashSet<>();
        List<Class<?>> todo = new ArrayList<>(classes);
        while (!todo.isEmpty()) {
            Class<?> c = todo.remove(todo.size() - 1);
            if (all.add(c)) {
                todo.addAll(List.of(c.getDeclaredClasses()));
            }
        }
        return all;
    }

    private static void check(Catalog catalog, String where, AnnotatedElement e, List<UnknownReference> out) {
        for (Verifies v : e.getAnnotationsByType(Verifies.class)) {
            List<String> unknown = new ArrayList<>();
            for (String id : v.value()) {
                if (!catalog.exists(v.version(), id)) {
                    unknown.add(id);
                }
            }
            if (!unknown.isEmpty()) {
                out.add(new UnknownReference(where, v, unknown));
            }
        }
    }
}
