package dev.mqttharness.suite.framework;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.targets.BrokersFile;
import dev.mqttharness.targets.BrokersFileException;
import dev.mqttharness.targets.Capability;
import dev.mqttharness.targets.DockerUnavailableException;
import dev.mqttharness.targets.RunningTarget;
import dev.mqttharness.targets.TargetSpec;
import dev.mqttharness.targets.Targets;
import dev.mqttharness.targets.UnknownTargetException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The suite's targets from brokers.yaml, launched by the targets module. Names of the form
 * {@code host:port} reach an already running broker without a brokers.yaml entry.
 */
public final class TargetsModuleLauncher implements TargetLauncher {
    private final BuiltinTargets adHoc = new BuiltinTargets();

    @Override
    public List<String> defaultTargets(SuiteSettings settings) {
        return brokers(settings).defaults();
    }

    private static BrokersFile brokers(SuiteSettings settings) {
        try {
            return BrokersFile.load(settings.brokersFile());
        } catch (BrokersFileException e) {
            throw new TargetUnavailable(e.getMessage(), false);
        }
    }

    @Override
    public TargetHandle launch(String name, SuiteSettings settings) throws Exception {
        if (name.matches(".+:\\d+")) {
            return adHoc.launch(name, settings);
        }
        TargetSpec spec;
        try {
            spec = brokers(settings).target(name);
        } catch (UnknownTargetException e) {
            throw new TargetUnavailable(e.getMessage(), false);
        }
        try {
            return new Handle(Targets.launch(spec), settings);
        } catch (DockerUnavailableException e) {
            throw new TargetUnavailable(e.getMessage(), true);
        }
    }

    /** A running target as the suite sees it. */
    private static final class Handle implements TargetHandle, AutoCloseable {
        private final RunningTarget target;
        private final SuiteSettings settings;

        Handle(RunningTarget target, SuiteSettings settings) {
            this.target = target;
            this.settings = settings;
        }

        @Override
        public String name() {
            return target.spec().name();
        }

        @Override
        public String kind() {
            return target.spec().launch().kind();
        }

        @Override
        public Endpoint endpoint() {
            return target.endpoint();
        }

        @Override
        public Set<MqttVersion> versions() {
            Set<MqttVersion> out = EnumSet.noneOf(MqttVersion.class);
            for (MqttVersion v : target.spec().versions()) {
                out.add(v.catalogVersion());
            }
            return out;
        }

        @Override
        public Set<String> lacks() {
            Set<String> out = new LinkedHashSet<>();
            for (Capability c : target.spec().lacks()) {
                out.add(c.yamlName());
            }
            return out;
        }

        @Override
        public boolean alive() {
            return target.crash().isEmpty();
        }

        @Override
        public boolean probeAlive() {
            return target.isAlive();
        }

        @Override
        public String crashDescription() {
            return target.crash().map(Object::toString).orElse(null);
        }

        @Override
        public void restart() {
            target.restart();
        }

        @Override
        public List<String> logTail(int lines) {
            return target.recentLogs(lines);
        }

        @Override
        public long readyMillis() {
            return target.startupTime().toMillis();
        }

        @Override
        public Path baseline() {
            Path b = target.spec().baseline();
            return b != null ? b : settings.baselineDir().resolve(name() + ".yaml");
        }

        @Override
        public void close() {
            target.close();
        }
    }
}
