package dev.mqttharness.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS settings (CA, client certificate and key) against mosquitto with a TLS listener, with
 * certificates made by openssl for the test; then the same broker reached as an external target.
 */
class TlsTargetIT {
    @TempDir
    static Path certs;

    @BeforeAll
    static void makeCertificates() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/mosquitto")), "mosquitto is not installed");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=mqtt-harness test CA");
        for (String who : List.of("server", "client")) {
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                    "-subj", "/CN=" + (who.equals("server") ? "localhost" : "mqtt-harness-client"));
            openssl("x509", "-req", "-in", who + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", who + ".pem", "-days", "2");
        }
        // mosquitto drops root privileges to its own user before it reads these
        for (Path p : List.of(certs, certs.resolve("ca.pem"), certs.resolve("server.pem"), certs.resolve("server.key"))) {
            p.toFile().setReadable(true, false);
            p.toFile().setExecutable(true, false);
        }
    }

    private static void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("/usr/bin/openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(certs.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static TargetSpec spec(String tls, boolean requireClientCert) {
        String yaml = """
                brokers:
                  tls:
                    launch: process
                    command: [/usr/sbin/mosquitto, -c, "{config}"]
                    config: |
                      allow_anonymous true
                      log_dest stderr
                      listener {port} 127.0.0.1
                      cafile %1$s/ca.pem
                      certfile %1$s/server.pem
                      keyfile %1$s/server.key
                      require_certificate %2$s
                    tls: %3$s
                    versions: [5.0, 3.1.1]
                    ready-timeout: 10s
                """.formatted(certs, requireClientCert, tls);
        return BrokersFile.parse(yaml, certs.resolve("brokers.yaml")).target("tls");
    }

    @Test
    void tls_with_a_ca_file() {
        try (RunningTarget t = Targets.launch(spec("{ ca: ca.pem }", false))) {
            assertThat(t.endpoint().tls()).isTrue();
            assertThat(t.endpoint().toString()).startsWith("mqtts://127.0.0.1:");
            Probes.assertAnswersConnect(t);

            // the same broker, reached as an external target
            TargetSpec external = BrokersFile.parse("""
                    brokers:
                      remote:
                        launch: external
                        host: 127.0.0.1
                        port: %d
                        tls: { ca: ca.pem }
                    """.formatted(t.endpoint().port()), certs.resolve("brokers.yaml")).target("remote");
            try (RunningTarget r = Targets.launch(external)) {
                Probes.assertAnswersConnect(r);
            }
        }
    }

    @Test
    void mutual_tls_with_a_client_certificate() {
        try (RunningTarget t = Targets.launch(spec("{ ca: ca.pem, cert: client.pem, key: client.key }", true))) {
            Probes.assertAnswersConnect(t);
        }
    }

    @Test
    void untrusted_broker_certificate_is_a_clear_error() {
        // trusting only the client certificate, not the CA that signed the broker's
        assertThatThrownBy(() -> Targets.launch(spec("{ ca: client.pem }", false)))
                .isInstanceOf(TargetStartException.class)
                .hasMessageContaining("TLS handshake failed");
    }
}
