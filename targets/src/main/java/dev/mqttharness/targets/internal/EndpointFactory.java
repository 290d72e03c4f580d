package dev.mqttharness.targets.internal;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.targets.Credentials;
import dev.mqttharness.targets.TargetSpec;
import java.net.URI;
import java.util.function.Function;
import javax.net.ssl.SSLContext;

/** Builds the {@link Endpoint} of a target from its host and ports and its TLS and credential settings. */
public final class EndpointFactory {
    private EndpointFactory() {
    }

    /**
     * @param wsPort the WebSocket port, or 0 for none
     */
    public static Endpoint create(TargetSpec spec, String host, int port, int wsPort, Function<String, String> env) {
        SSLContext ssl = spec.tls() == null ? null : SslContexts.create(spec.tls(), spec.name());
        URI ws = null;
        if (spec.webSocket() != null && wsPort > 0) {
            String scheme = ssl == null ? "ws" : "wss";
            ws = URI.create(scheme + "://" + hostForUri(host) + ":" + wsPort + spec.webSocket().path());
        }
        String user = null;
        String pass = null;
        if (spec.credentials() != null) {
            Credentials c = spec.credentials().resolve(env, spec.origin() + ": broker '" + spec.name() + "'");
            user = c.username();
            pass = c.password();
        }
        return new Endpoint(host, port, ssl, ws, user, pass);
    }

    private static String hostForUri(String host) {
        return host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    }
}
