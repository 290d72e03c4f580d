package dev.mqttharness.fuzz;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.ReferenceBroker;
import dev.mqttharness.client.Endpoint;
import dev.mqttharness.targets.BrokersFile;
import dev.mqttharness.targets.RunningTarget;
import dev.mqttharness.targets.Targets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Optional;

/**
 * The broker a campaign fuzzes: the embedded reference broker ("reference"), an address
 * ("host:port", not started or stopped by us), or any broker of brokers.yaml launched by the targets
 * module, with its crash detection and restart.
 */
public interface FuzzTarget extends AutoCloseable {
    /** The name findings are filed under: a brokers.yaml name, "reference" or "host:port". */
    String name();

    Endpoint endpoint();

    /** False once the broker's process is gone or its port refuses connections. */
    boolean alive();

    /** How it died, if it did. */
    Optional<String> crash();

    /** Whether {@link #restart()} can bring it back. */
    boolean restartable();

    void restart();

    @Override
    void close();

    /**
     * "reference" starts the embedded reference broker; "host:port" reaches a running broker; any
     * other name is launched from brokers.yaml through the targets module.
     */
    static FuzzTarget resolve(String name) {
        if (name.equals("reference")) {
            return reference();
        }
        int colon = name.lastIndexOf(':');
        if (colon > 0 && name.substring(colon + 1).chars().allMatch(Character::isDigit)) {
            return external(name, Endpoint.tcp(name.substring(0, colon), Integer.parseInt(name.substring(colon + 1))));
        }
        RunningTarget rt = Targets.launch(BrokersFile.loadDefault().target(name));
        return new Launched(name, rt);
    }

    /** The embedded reference broker with its default configuration. */
    static FuzzTarget reference() {
        return reference(BrokerConfig.defaults());
    }

    /** The embedded reference broker with {@code config} (e.g. with fault switches, to test the oracles). */
    static FuzzTarget reference(BrokerConfig config) {
        try {
            return new Embedded(ReferenceBroker.start(config), config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A broker someone else runs: never restarted or stopped by the fuzzer. */
    static FuzzTarget external(String name, Endpoint endpoint) {
        return new External(name, endpoint);
    }

    /** True if a TCP connection to the endpoint is accepted. */
    static boolean accepts(Endpoint ep) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ep.host(), ep.port()), 2_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The reference broker in this JVM. */
    final class Embedded implements FuzzTarget {
        private final BrokerConfig config;
        private ReferenceBroker broker;

        Embedded(ReferenceBroker broker, BrokerConfig config) {
            this.broker = broker;
            this.config = config;
        }

        @Override public String name() { return "reference"; }
        @Override public Endpoint endpoint() { return Endpoint.tcp("127.0.0.1", broker.port()); }
        @Override public boolean alive() { return FuzzTarget.accepts(endpoint()); }
        @Override public Optional<String> crash() { return alive() ? Optional.empty() : Optional.of("the embedded broker refuses connections"); }
        @Override public boolean restartable() { return true; }

        @Override
        public void restart() {
            broker.close();
            try {
                broker = ReferenceBroker.start(config);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() {
            broker.close();
        }
    }

    /** A broker at an address. */
    final class External implements FuzzTarget {
        private final String name;
        private final Endpoint endpoint;

        External(String name, Endpoint endpoint) {
            this.name = name;
            this.endpoint = endpoint;
        }

        @Override public String name() { return name; }
        @Override public Endpoint endpoint() { return endpoint; }
        @Override public boolean alive() { return FuzzTarget.accepts(endpoint); }
        @Override public Optional<String> crash() { return alive() ? Optional.empty() : Optional.of(endpoint + " refuses connections"); }
        @Override public boolean restartable() { return false; }
        @Override public void restart() { throw new UnsupportedOperationException(name + " is not started by the fuzzer"); }
        @Override public void close() { }
    }

    /** A broker of brokers.yaml, launched by the targets module. */
    final class Launched implements FuzzTarget {
        private final String name;
        private final RunningTarget target;

        Launched(String name, RunningTarget target) {
            this.name = name;
            this.target = target;
        }

        @Override public String name() { return name; }
        @Override public Endpoint endpoint() { return target.endpoint(); }
        @Override public boolean alive() { return target.isAlive(); }
        @Override public Optional<String> crash() { return target.crash().map(Object::toString); }
        @Override public boolean restartable() { return true; }
        @Override public void restart() { target.restart(); }
        @Override public void close() { target.close(); }
    }
}
