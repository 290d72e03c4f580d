package dev.mqttharness.suite.framework;

import dev.mqttharness.spec.MqttVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How a suite run is configured, from JUnit configuration parameters (which fall back to system
 * properties): {@code mqtt.targets}, {@code mqtt.brokers}, {@code mqtt.versions}, {@code mqtt.only},
 * {@code mqtt.strict}, {@code mqtt.report.dir}, {@code mqtt.baseline.dir}, {@code mqtt.baseline.update},
 * {@code mqtt.timeout.ms}, {@code mqtt.host} / {@code mqtt.port} for an ad-hoc external target,
 * {@code mqtt.selection.file} to narrow the scenarios per target (see {@link #selects(String, MqttVersion, String)}).
 */
public record SuiteSettings(
        List<String> targets,
        Path brokersFile,
        Set<MqttVersion> versions,
        List<String> onlySections,
        boolean strict,
        Path reportDir,
        Path baselineDir,
        boolean updateBaselines,
        Duration timeout,
        String adHocHost,
        int adHocPort,
        Map<String, Set<String>> selection) {

    public SuiteSettings {
        selection = selection == null ? Map.of() : Map.copyOf(selection);
    }

    public static SuiteSettings from(Function<String, Optional<String>> params) {
        List<String> targets = list(params.apply("mqtt.targets").orElse(""));
        Path root = repositoryRoot();
        Path brokers = params.apply("mqtt.brokers").map(Path::of).orElse(root.resolve("brokers.yaml"));
        Set<MqttVersion> versions = EnumSet.noneOf(MqttVersion.class);
        for (String v : list(params.apply("mqtt.versions").orElse("3.1.1,5.0"))) {
            versions.add(MqttVersion.parse(v).catalogVersion());
        }
        List<String> only = list(params.apply("mqtt.only").orElse(""));
        boolean strict = Boolean.parseBoolean(params.apply("mqtt.strict").orElse("false"));
        Path reportDir = params.apply("mqtt.report.dir").map(Path::of).orElse(Path.of("target", "mqtt-harness-report"));
        Path baselineDir = params.apply("mqtt.baseline.dir").map(Path::of).orElse(root.resolve("baselines"));
        boolean update = Boolean.parseBoolean(params.apply("mqtt.baseline.update").orElse("false"));
        Duration timeout = Duration.ofMillis(Long.parseLong(params.apply("mqtt.timeout.ms").orElse("5000")));
        String host = params.apply("mqtt.host").orElse(null);
        int port = Integer.parseInt(params.apply("mqtt.port").orElse("1883"));
        Map<String, Set<String>> selection = params.apply("mqtt.selection.file").map(f -> readSelection(Path.of(f)))
                .orElse(Map.of());
        return new SuiteSettings(targets, brokers, versions, only, strict, reportDir, baselineDir, update, timeout, host, port,
                selection);
    }

    /**
     * A selection file: one line per scenario to run, {@code TARGET<TAB>VERSION<TAB>Class.method}
     * ({@code #} starts a comment). With one, a target runs only the scenarios listed for it; the
     * suite's self-check uses it to run, per fault, the scenarios that claim the fault's statements.
     */
    static Map<String, Set<String>> readSelection(Path file) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t");
                if (f.length != 3) {
                    throw new IllegalArgumentException(file + ": not TARGET<TAB>VERSION<TAB>Class.method: " + line);
                }
                out.computeIfAbsent(f[0], k -> new HashSet<>())
                        .add(MqttVersion.parse(f[1]).catalogVersion().label() + "|" + f[2]);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the selection file " + file + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Writes a selection file (see {@link #readSelection}). */
    public static void writeSelection(Path file, Map<String, ? extends Collection<String>> byTarget) throws IOException {
        StringBuilder sb = new StringBuilder("# TARGET\tVERSION\tClass.method: the scenarios each target runs\n");
        for (Map.Entry<String, ? extends Collection<String>> e : byTarget.entrySet()) {
            for (String vs : e.getValue()) {
                int bar = vs.indexOf('|');
                sb.append(e.getKey()).append('\t').append(vs, 0, bar).append('\t').append(vs.substring(bar + 1)).append('\n');
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb.toString());
    }

    /** True unless a selection file is given that does not list this scenario for this target and version. */
    public boolean selects(String target, MqttVersion version, String scenarioId) {
        if (selection.isEmpty()) {
            return true;
        }
        Set<String> s = selection.get(target);
        return s != null && s.contains(version.catalogVersion().label() + "|" + scenarioId);
    }

    /** True unless a selection file is given that lists nothing of scenario class {@code simpleName} for this target. */
    public boolean selectsClass(String target, String simpleName) {
        if (selection.isEmpty()) {
            return true;
        }
        Set<String> s = selection.get(target);
        if (s == null) {
            return false;
        }
        String prefix = "|" + simpleName + ".";
        for (String e : s) {
            if (e.contains(prefix)) {
                return true;
            }
        }
        return false;
    }

    public static SuiteSettings fromSystemProperties() {
        return from(k -> Optional.ofNullable(System.getProperty(k)));
    }

    private static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            if (!s.isBlank()) {
                out.add(s.trim());
            }
        }
        return out;
    }

    /** The directory holding brokers.yaml: the working directory or the nearest parent that has it. */
    public static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        for (Path q = p; q != null; q = q.getParent()) {
            if (Files.exists(q.resolve("brokers.yaml"))) {
                return q;
            }
        }
        return p;
    }

    /** True if a scenario claiming statements in these sections is selected by {@code mqtt.only}. */
    public boolean selects(List<String> sections) {
        if (onlySections.isEmpty()) {
            return true;
        }
        for (String s : sections) {
            for (String o : onlySections) {
                if (s.equals(o) || s.startsWith(o + ".")) {
                    return true;
                }
            }
        }
        return false;
    }
}
