package dev.mqttharness.suite.framework;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.ReferenceBroker;
import dev.mqttharness.client.Endpoint;
import dev.mqttharness.spec.MqttVersion;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Targets the suite can reach without brokers.yaml: the embedded reference broker ("reference")
 * and an ad-hoc external broker ("host:port"). Used when no other {@link TargetLauncher} is installed.
 */
final class BuiltinTargets implements TargetLauncher {
    @Override
    public List<String> defaultTargets(SuiteSettings settings) {
        return List.of("reference");
    }

    @Override
    public TargetHandle launch(String name, SuiteSettings settings) throws Exception {
        if (name.equals("reference") || (FaultTargets.isFaulty(name) && FaultTargets.base(name).equals("reference"))) {
            long t0 = System.nanoTime();
            BrokerConfig.Builder config = BrokerConfig.builder();
            for (dev.mqttharness.broker.fault.Fault f : FaultTargets.faults(name)) {
                config.fault(f.id());
            }
            ReferenceBroker broker = ReferenceBroker.start(config.build());
            long ready = (System.nanoTime() - t0) / 1_000_000;
            return new Simple(name, "embedded", Endpoint.tcp("127.0.0.1", broker.port()), ready, broker, settings);
        }
        int colon = name.lastIndexOf(':');
        if (colon > 0) {
            return new Simple(name, "external", Endpoint.tcp(name.substring(0, colon), Integer.parseInt(name.substring(colon + 1))),
                    -1, null, settings);
        }
        throw new TargetUnavailable("unknown broker '" + name + "'; known: reference, or host:port", false);
    }

    private static final class Simple implements TargetHandle, AutoCloseable {
        private final String name;
        private final String kind;
        private final Endpoint endpoint;
        private final long ready;
        private final AutoCloseable resource;
        private final SuiteSettings settings;

        Simple(String name, String kind, Endpoint endpoint, long ready, AutoCloseable resource, SuiteSettings settings) {
            this.name = name;
            this.kind = kind;
            this.endpoint = endpoint;
            this.ready = ready;
            this.resource = resource;
            this.settings = settings;
        }

        @Override public String name() { return name; }
        @Override public String kind() { return kind; }
        @Override public Endpoint endpoint() { return endpoint; }
        @Override public Set<MqttVersion> versions() { return EnumSet.of(MqttVersion.V3_1_1, MqttVersion.V5); }
        @Override public Set<String> lacks() { return Set.of(); }
        @Override public boolean alive() { return true; }
        @Override public String crashDescription() { return null; }
        @Override public void restart() { }
        @Override public List<String> logTail(int lines) { return List.of(); }
        @Override public long readyMillis() { return ready; }

        @Override
        public Path baseline() {
            return settings.baselineDir().resolve(name.replace(':', '_') + ".yaml");
        }

        @Override
        public void close() throws Exception {
            if (resource != null) {
                resource.close();
            }
        }
    }
}
