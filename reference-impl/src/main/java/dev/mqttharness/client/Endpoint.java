package dev.mqttharness.client;

import java.net.URI;
import javax.net.ssl.SSLContext;

/**
 * Where and how to reach a broker: a TCP address, optionally TLS (with the SSLContext that holds
 * trust and any client certificate) and optionally a WebSocket URI, plus the credentials a
 * scenario should present when it needs an authorised connection.
 *
 * @param host       host name or address
 * @param port       TCP (or TLS, if {@code sslContext} is set) port
 * @param sslContext TLS context, or null for plain TCP
 * @param webSocket  ws:// or wss:// URI of the broker's WebSocket listener, or null
 * @param username   user name to present, or null
 * @param password   password to present, or null
 */
public record Endpoint(String host, int port, SSLContext sslContext, URI webSocket, String username, String password) {

    public static Endpoint tcp(String host, int port) {
        return new Endpoint(host, port, null, null, null, null);
    }

    public Endpoint withCredentials(String user, String pass) {
        return new Endpoint(host, port, sslContext, webSocket, user, pass);
    }

    public Endpoint withWebSocket(URI uri) {
        return new Endpoint(host, port, sslContext, uri, username, password);
    }

    public boolean tls() {
        return sslContext != null;
    }

    @Override
    public String toString() {
        return (tls() ? "mqtts://" : "mqtt://") + host + ":" + port + (webSocket != null ? " + " + webSocket : "");
    }
}
