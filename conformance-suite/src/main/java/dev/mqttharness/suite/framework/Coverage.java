package dev.mqttharness.suite.framework;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Catalog;
import dev.mqttharness.spec.catalog.Statement;
import dev.mqttharness.spec.catalog.StatementIds;
import dev.mqttharness.spec.catalog.Verifies;
import dev.mqttharness.spec.check.TraceChecks;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which statements the suite exercises, computed from the {@code @Verifies} annotations of the
 * scenario classes and the trace checks, compared with the catalog's wire-testable statements
 * (W, W*, CN). The build prints it and gates on it; the CLI's {@code statements} command shows it.
 */
public final class Coverage {
    /** Per version: statement id to the scenarios / checks that claim it. */
    private final Map<MqttVersion, Map<String, List<String>>> claims = new LinkedHashMap<>();
    private final List<String> unknown = new ArrayList<>();

    private Coverage() {
        claims.put(MqttVersion.V3_1_1, new TreeMap<>(StatementIds::compare));
        claims.put(MqttVersion.V5, new TreeMap<>(StatementIds::compare));
    }

    /** Coverage of the scenario classes in this module plus the trace checks. */
    public static Coverage compute() {
        Coverage c = new Coverage();
        for (Class<?> k : scenarioClasses()) {
            c.add(k);
        }
        c.add(TraceChecks.class);
        return c;
    }

    private void add(Class<?> k) {
        for (Method m : k.getDeclaredMethods()) {
            for (Verifies v : m.getAnnotationsByType(Verifies.class)) {
                MqttVersion ver = v.version().catalogVersion();
                for (String id : v.value()) {
                    if (!Catalog.get().exists(ver, id)) {
                        unknown.add(k.getSimpleName() + "." + m.getName() + ": " + ver.label() + " " + id);
                        continue;
                    }
                    claims.get(ver).computeIfAbsent(id, x -> new ArrayList<>()).add(k.getSimpleName() + "." + m.getName());
                }
            }
        }
    }

    /** Scenario classes ({@code *Scenarios}) found next to this framework, by scanning the class path entry. */
    public static List<Class<?>> scenarioClasses() {
        List<Class<?>> out = new ArrayList<>();
        String pkg = "dev/mqttharness/suite/scenarios";
        try {
            URL url = Coverage.class.getClassLoader().getResource(pkg);
            if (url == null) {
                return out;
            }
            if (url.getProtocol().equals("file")) {
                Path root = Path.of(url.toURI());
                try (Stream<Path> s = Files.walk(root)) {
                    s.filter(p -> p.toString().endsWith("Scenarios.class")).forEach(p -> {
                        String rel = root.relativize(p).toString().replace('/', '.').replace(".class", "");
                        load("dev.mqttharness.suite.scenarios." + rel, out);
                    });
                }
            } else if (url.getProtocol().equals("jar")) {
                String jar = url.getPath().substring(5, url.getPath().indexOf('!'));
                try (java.util.jar.JarFile jf = new java.util.jar.JarFile(java.net.URLDecoder.decode(jar, "UTF-8"))) {
                    jf.stream().map(java.util.jar.JarEntry::getName)
                            .filter(n -> n.startsWith(pkg) && n.endsWith("Scenarios.class"))
                            .forEach(n -> load(n.replace('/', '.').replace(".class", ""), out));
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot list scenario classes: " + e.getMessage(), e);
        }
        out.sort(java.util.Comparator.comparing(Class::getName));
        return out;
    }

    private static void load(String name, List<Class<?>> out) {
        try {
            out.add(Class.forName(name));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** IDs named in annotations that do not exist in their version's catalog. */
    public List<String> unknownIds() {
        return unknown;
    }

    public Set<String> claimed(MqttVersion v) {
        return claims.get(v.catalogVersion()).keySet();
    }

    public List<String> claimedBy(MqttVersion v, String id) {
        return claims.get(v.catalogVersion()).getOrDefault(id, List.of());
    }

    /** Wire-testable statements (W, W*, CN) of a version. */
    public static List<Statement> wireTestable(MqttVersion v) {
        List<Statement> out = new ArrayList<>();
        for (Statement s : Catalog.get().statements(v)) {
            if (s.testability().wireTestable()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Wire-testable statements no scenario or check claims. */
    public List<Statement> uncovered(MqttVersion v) {
        List<Statement> out = new ArrayList<>();
        for (Statement s : wireTestable(v)) {
            if (!claimed(v).contains(s.id())) {
                out.add(s);
            }
        }
        return out;
    }

    public double ratio(MqttVersion v) {
        int total = wireTestable(v).size();
        return total == 0 ? 1.0 : (total - uncovered(v).size()) / (double) total;
    }

    /** A table: per version and per chapter section (x.y), covered / wire-testable. */
    public String table() {
        StringBuilder sb = new StringBuilder();
        for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V5)) {
            List<Statement> wt = wireTestable(v);
            sb.append(String.format("MQTT %s: %d of %d wire-testable statements exercised (%.1f%%)%n", v.label(),
                    wt.size() - uncovered(v).size(), wt.size(), 100 * ratio(v)));
            Map<String, int[]> bySection = new TreeMap<>(StatementIds::compare);
            for (Statement s : wt) {
                String[] parts = s.section().split("\\.");
                String sec = parts.length >= 2 ? parts[0] + "." + parts[1] : parts[0];
                int[] n = bySection.computeIfAbsent("§" + sec, k -> new int[2]);
                n[1]++;
                if (claimed(v).contains(s.id())) {
                    n[0]++;
                }
            }
            for (Map.Entry<String, int[]> e : bySection.entrySet()) {
                sb.append(String.format("  %-8s %3d / %-3d%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
            }
            Set<String> missing = new TreeSet<>(StatementIds::compare);
            for (Statement s : uncovered(v)) {
                missing.add(s.id());
            }
            if (!missing.isEmpty()) {
                sb.append("  not exercised: ").append(String.join(", ", missing)).append('\n');
            }
        }
        return sb.toString();
    }
}
