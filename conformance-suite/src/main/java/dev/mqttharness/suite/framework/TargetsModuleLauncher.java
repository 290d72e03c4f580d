package dev.mqttharness.suite.framework;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.targets.BrokersFile;
import dev.mqttharness.targets.BrokersFileException;
import dev.mqttharness.targets.Capability;
import dev.mqttharness.targets.DockerUnavailableException;
import dev.mqttharness.targets.Launch;
import dev.mqttharness.targets.RunningTarget;
import dev.mqttharness.targets.TargetSpec;
import dev.mqttharness.targets.Targets;
import dev.mqttharness.targets.UnknownTargetException;
import java.nio.file.Path;
import java.util.ArrayList;
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
            spec = brokers(settings).target(FaultTargets.base(name));
        } catch (UnknownTargetException e) {
            throw new TargetUnavailable(e.getMessage(), false);
        }
        if (FaultTargets.isFaulty(name)) {
            spec = withFaults(spec, name);
        }
        try {
            return new Handle(Targets.launch(spec), settings);
        } catch (DockerUnavailableException e) {
            throw new TargetUnavailable(e.getMessage(), true);
        }
    }

    /** {@code BASE~FAULT}: the embedded broker of entry BASE with the fault switched on (the suite's self-check). */
    private static TargetSpec withFaults(TargetSpec base, String name) {
        if (!(base.launch() instanceof Launch.Embedded)) {
            throw new TargetUnavailable(name + ": faults are switches of the reference broker; '" + base.name()
                    + "' is launched " + base.launch().kind() + ", not embedded", false);
        }
        List<String> args = new ArrayList<>(((Launch.Embedded) base.launch()).args());
        args.addAll(FaultTargets.brokerArgs(name));
        return new TargetSpec(name, new Launch.Embedded(args), base.versions(), base.lacks(), base.credentials(), base.tls(),
                base.webSocket(), null, base.readyTimeout(), "'" + base.name() + "' with faults " + FaultTargets.faults(name),
                base.origin(), base.deniedTopic());
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
        public String deniedTopic() {
            return target.spec().deniedTopic();
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
