package dev.mqttharness.targets;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the repository is, for tests that read brokers.yaml or the jvm-brokers projects. */
final class TestPaths {
    private TestPaths() {
    }

    static Path root() {
        String p = System.getProperty("mqttharness.root");
        if (p != null) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isRegularFile(d.resolve("brokers.yaml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no brokers.yaml above " + Path.of("").toAbsolutePath());
    }

    static BrokersFile brokers() {
        return BrokersFile.load(root().resolve("brokers.yaml"));
    }
}
