package dev.mqttharness.suite.framework;

import dev.mqttharness.spec.MqttVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * How a suite run is configured, from JUnit configuration parameters (which fall back to system
 * properties): {@code mqtt.targets}, {@code mqtt.brokers}, {@code mqtt.versions}, {@code mqtt.only},
 * {@code mqtt.strict}, {@code mqtt.report.dir}, {@code mqtt.baseline.dir}, {@code mqtt.baseline.update},
 * {@code mqtt.timeout.ms}, {@code mqtt.host} / {@code mqtt.port} for an ad-hoc external target.
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
        int adHocPort) {

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
        return new SuiteSettings(targets, brokers, versions, only, strict, reportDir, baselineDir, update, timeout, host, port);
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
