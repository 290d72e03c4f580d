package dev.mqttharness.targets;

import java.nio.file.Path;

/**
 * How the harness connects to a target over TLS: the CA that signed the broker's certificate (PEM;
 * null trusts the JDK's default CAs) and, for mutual TLS, a client certificate chain and its
 * PKCS#8 private key (PEM).
 */
public record TlsSettings(Path ca, Path cert, Path key) {
    public boolean clientAuth() {
        return cert != null;
    }
}
