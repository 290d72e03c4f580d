package dev.mqttharness.broker.core;

import dev.mqttharness.spec.packet.Packet;

/**
 * What the broker core asks the outside world to do. The Netty shell performs these on sockets;
 * tests record them.
 */
public interface Effects {
    /** Write {@code bytes} (the encoding of {@code packet}) to connection {@code connId}. */
    void send(long connId, byte[] bytes, Packet packet);

    /** Close connection {@code connId} after everything sent so far; {@code reason} is for logs and traces. */
    void close(long connId, String reason);
}
