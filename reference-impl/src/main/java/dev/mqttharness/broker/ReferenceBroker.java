package dev.mqttharness.broker;

import java.io.IOException;

/**
 * The reference broker, embedded: {@code start} binds the listeners the config asks for (port 0
 * picks a free one) and returns once they accept connections; {@code close} stops them and waits.
 *
 * <pre>{@code
 * try (ReferenceBroker broker = ReferenceBroker.start(BrokerConfig.defaults())) {
 *     int port = broker.port();
 * }
 * }</pre>
 */
public final class ReferenceBroker implements AutoCloseable {
    private final NettyShell shell;

    private ReferenceBroker(NettyShell shell) {
        this.shell = shell;
    }

    public static ReferenceBroker start(BrokerConfig config) throws IOException {
        return new ReferenceBroker(NettyShell.start(config));
    }

    /** The TCP port. */
    public int port() {
        return shell.port();
    }

    /** The TLS port, or -1 if none. */
    public int tlsPort() {
        return shell.tlsPort();
    }

    /** The WebSocket port, or -1 if none. */
    public int webSocketPort() {
        return shell.webSocketPort();
    }

    public BrokerConfig config() {
        return shell.config();
    }

    /** Counts of how often each statement was enforced (a decision named it) since start. */
    public java.util.Map<String, Long> enforcedStatements() {
        return shell.enforcedStatements();
    }

    @Override
    public void close() {
        shell.close();
    }
}
