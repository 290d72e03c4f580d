package dev.mqttharness.broker.core;

/**
 * What the transport knows about a connection before any MQTT byte: the peer address, the
 * transport (tcp, tls, ws, wss) and, with mutual TLS, the client certificate's subject.
 */
public record ConnectionInfo(String remoteAddress, String transport, String clientCertificateSubject) {
    public static ConnectionInfo tcp(String remote) {
        return new ConnectionInfo(remote, "tcp", null);
    }
}
