package dev.mqttharness.cli;

import dev.mqttharness.targets.BrokersFile;
import dev.mqttharness.targets.TargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Finds and checks brokers.yaml for the commands, turning its problems into one-line usage errors. */
final class Brokers {
    /** Name of the built-in reference broker, known even without brokers.yaml. */
    static final String REFERENCE = "reference";

    private final Path file;
    private final BrokersFile parsed;

    private Brokers(Path file, BrokersFile parsed) {
        this.file = file;
        this.parsed = parsed;
    }

    /**
     * brokers.yaml: the one named (option, {@code -Dmqttharness.brokers}, {@code MQTT_HARNESS_BROKERS}), else the
     * nearest in the working directory or above, else the one next to the launcher script. A file that is
     * named but cannot be read or parsed is a usage error naming file and line.
     */
    static Brokers load(Path named) {
        Path f = locate(named);
        if (f == null) {
            return new Brokers(null, null);
        }
        try {
            return new Brokers(f, BrokersFile.load(f));
        } catch (TargetException e) {
            throw new UsageException(oneLine(e.getMessage()));
        }
    }

    static Path locate(Path named) {
        if (named != null) {
            if (!Files.isRegularFile(named)) {
                throw new UsageException(named + ": no such file (brokers file given with --brokers)");
            }
            return named.toAbsolutePath();
        }
        String prop = System.getProperty(BrokersFile.FILE_PROPERTY, System.getenv(BrokersFile.FILE_ENV));
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop);
            if (!Files.isRegularFile(p)) {
                throw new UsageException(p + ": no such file (named by " + BrokersFile.FILE_ENV + " or -D"
                        + BrokersFile.FILE_PROPERTY + ")");
            }
            return p.toAbsolutePath();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("brokers.yaml"))) {
                return d.resolve("brokers.yaml");
            }
        }
        String home = System.getProperty("mqttharness.home");
        if (home != null && Files.isRegularFile(Path.of(home, "brokers.yaml"))) {
            return Path.of(home, "brokers.yaml").toAbsolutePath();
        }
        return null;
    }

    /** The file, or null when there is none (only the built-in reference broker is known then). */
    Path file() {
        return file;
    }

    List<String> names() {
        if (parsed == null) {
            return List.of(REFERENCE);
        }
        return parsed.names();
    }

    List<String> defaults() {
        if (parsed == null) {
            return List.of(REFERENCE);
        }
        return parsed.defaults().isEmpty() ? List.of(REFERENCE) : parsed.defaults();
    }

    /** MQTT versions the broker named speaks per brokers.yaml; every version for host:port and unknown names. */
    java.util.Set<dev.mqttharness.spec.MqttVersion> versionsOf(String name) {
        java.util.Set<dev.mqttharness.spec.MqttVersion> all = java.util.EnumSet.of(
                dev.mqttharness.spec.MqttVersion.V3_1_1, dev.mqttharness.spec.MqttVersion.V5);
        if (parsed == null || !parsed.names().contains(name)) {
            return all;
        }
        java.util.Set<dev.mqttharness.spec.MqttVersion> v = java.util.EnumSet.noneOf(dev.mqttharness.spec.MqttVersion.class);
        parsed.target(name).versions().forEach(x -> v.add(x.catalogVersion()));
        return v;
    }

    /** Checks that every name is known (or host:port); an unknown one is a one-line usage error listing the known. */
    void check(List<String> names) {
        List<String> unknown = new ArrayList<>();
        for (String n : names) {
            if (!names().contains(n) && !isHostPort(n) && !n.equals("all")) {
                unknown.add(n);
            }
        }
        if (!unknown.isEmpty()) {
            throw new UsageException("unknown broker " + (unknown.size() == 1 ? "'" + unknown.get(0) + "'"
                    : unknown.toString()) + "; known: " + String.join(", ", names())
                    + (file == null ? " (no brokers.yaml found)" : " (from " + file + ")") + ", or HOST:PORT");
        }
    }

    static boolean isHostPort(String n) {
        int colon = n.lastIndexOf(':');
        if (colon <= 0 || colon == n.length() - 1) {
            return false;
        }
        try {
            int p = Integer.parseInt(n.substring(colon + 1));
            return p > 0 && p < 65536;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    static String oneLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
