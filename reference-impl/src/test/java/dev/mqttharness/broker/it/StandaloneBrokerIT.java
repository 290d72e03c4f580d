package dev.mqttharness.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.client.ReferenceClient;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ReferenceBrokerMain} started as its own process, as the README tells a user to. */
class StandaloneBrokerIT {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void standalone_broker_serves_tcp_tls_and_websocket_from_command_line_options() throws Exception {
        TestCertificates certs = TestCertificates.create();
        try (StandaloneBroker b = StandaloneBroker.start("--port", "0", "--tls-port", "0", "--cert", certs.serverChain.toString(),
                "--key", certs.serverKey.toString(), "--ws-port", "0")) {
            assertThat(b.port).isPositive();
            assertThat(b.tlsPort).isPositive();
            assertThat(b.wsPort).isPositive();
            Endpoint tcp = Endpoint.tcp("127.0.0.1", b.port);
            Endpoint tls = new Endpoint("localhost", b.tlsPort, certs.clientContext(false), null, null, null);
            Endpoint ws = tcp.withWebSocket(URI.create("ws://127.0.0.1:" + b.wsPort + "/mqtt"));
            try (ReferenceClient sub = ReferenceClient.connect(tcp, ReferenceClient.options().clientId("sa-sub").timeout(WAIT).build());
                 ReferenceClient viaTls = ReferenceClient.connect(tls, ReferenceClient.options().clientId("sa-tls").timeout(WAIT).build());
                 ReferenceClient viaWs = ReferenceClient.connect(ws, ReferenceClient.options().clientId("sa-ws")
                         .version(MqttVersion.V3_1_1).webSocket(true).timeout(WAIT).build())) {
                sub.subscribe("sa/#", QoS.AT_LEAST_ONCE);
                viaTls.publish("sa/tls", "tls", QoS.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
                viaWs.publish("sa/ws", "ws", QoS.EXACTLY_ONCE, false).get(5, TimeUnit.SECONDS);
                assertThat(sub.receive(2)).extracting(ReferenceClient.Message::payloadUtf8).containsExactly("tls", "ws");
            }
            assertThat(b.isAlive()).isTrue();
        }
    }

    @Test
    void standalone_broker_reads_a_config_file(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, "port=0\nusers=alice:secret\nanonymous=false\nmaxQos=1\n"
                + "deny.subscribe=nosubscribe,test/nosubscribe\n");
        try (StandaloneBroker b = StandaloneBroker.start("--config", config.toString())) {
            Endpoint ep = Endpoint.tcp("127.0.0.1", b.port);
            assertThatThrownBy(() -> ReferenceClient.connect(ep, ReferenceClient.options().clientId("anon").timeout(WAIT).build()))
                    .isInstanceOf(ReferenceClient.ConnectException.class)
                    .satisfies(e -> assertThat(((ReferenceClient.ConnectException) e).connack().reasonCode())
                            .isEqualTo(ReasonCode.NOT_AUTHORIZED.value()));
            try (ReferenceClient c = ReferenceClient.connect(ep, ReferenceClient.options().clientId("alice")
                    .credentials("alice", "secret").timeout(WAIT).build())) {
                assertThat(c.serverLimits().maximumQos()).isEqualTo(1);
                assertThat(c.subscribe("test/nosubscribe", QoS.EXACTLY_ONCE).reasonCodes())
                        .containsExactly(ReasonCode.NOT_AUTHORIZED.value());
                assertThat(c.subscribe("fine", QoS.EXACTLY_ONCE).reasonCodes()).containsExactly(1);
            }
        }
    }

    @Test
    void help_and_list_faults_exit_0_and_a_bad_option_exits_2() throws Exception {
        StandaloneBroker.Result help = StandaloneBroker.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.output()).contains("usage:");
        StandaloneBroker.Result faults = StandaloneBroker.run("--list-faults");
        assertThat(faults.exitCode()).isZero();
        assertThat(faults.output()).contains("puback-missing");
        StandaloneBroker.Result bad = StandaloneBroker.run("--no-such-option");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.output()).contains("unknown option");
    }

    @Test
    void fault_switch_from_the_command_line_changes_the_behaviour() throws Exception {
        try (StandaloneBroker b = StandaloneBroker.start("--port", "0", "--fault", "pingresp-missing")) {
            assertThat(b.output()).contains("pingresp-missing");
        }
    }
}
