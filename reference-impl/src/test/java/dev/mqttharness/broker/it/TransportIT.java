package dev.mqttharness.broker.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.ReferenceBroker;
import dev.mqttharness.client.Endpoint;
import dev.mqttharness.client.ProbeClient;
import dev.mqttharness.client.ReferenceClient;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.Will;
import dev.mqttharness.spec.trace.Trace;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The embedded reference broker over real sockets: TCP, TLS with a server certificate, mutual TLS
 * with a client certificate, and WebSocket (subprotocol "mqtt", path /mqtt), with the probe and
 * the reference client. Certificates are made for the run.
 */
class TransportIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final AtomicInteger IDS = new AtomicInteger();
    private static TestCertificates certs;
    private static ReferenceBroker broker;
    private static ReferenceBroker mutual;

    enum Via { TCP, TLS, WEBSOCKET, MUTUAL_TLS }

    @BeforeAll
    static void start() throws IOException {
        certs = TestCertificates.create();
        broker = ReferenceBroker.start(BrokerConfig.builder()
                .tls(0, new BrokerConfig.TlsSettings(certs.serverChain, certs.serverKey, null))
                .webSocket(0, "/mqtt")
                .build());
        mutual = ReferenceBroker.start(BrokerConfig.builder()
                .tls(0, new BrokerConfig.TlsSettings(certs.serverChain, certs.serverKey, certs.caCert))
                .build());
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
        if (mutual != null) {
            mutual.close();
        }
    }

    private static Endpoint endpoint(Via via) throws IOException {
        switch (via) {
            case TLS:
                return new Endpoint("localhost", broker.tlsPort(), certs.clientContext(false), null, null, null);
            case MUTUAL_TLS:
                return new Endpoint("localhost", mutual.tlsPort(), certs.clientContext(true), null, null, null);
            case WEBSOCKET:
                return Endpoint.tcp("127.0.0.1", broker.port())
                        .withWebSocket(URI.create("ws://127.0.0.1:" + broker.webSocketPort() + "/mqtt"));
            default:
                return Endpoint.tcp("127.0.0.1", broker.port());
        }
    }

    private static String id(String prefix) {
        return prefix + "-" + IDS.incrementAndGet();
    }

    private static ProbeClient probe(Via via, MqttVersion v, String name) throws IOException {
        return ProbeClient.open(endpoint(via), v, name, new Trace(),
                ProbeClient.Options.DEFAULT.withWebSocket(via == Via.WEBSOCKET).withTimeout(WAIT));
    }

    private static ReferenceClient.Options.Builder options(Via via, String clientId) {
        return ReferenceClient.options().clientId(clientId).webSocket(via == Via.WEBSOCKET).timeout(WAIT);
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void probe_connects_subscribes_and_receives_its_own_message(Via via) throws IOException {
        for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V5)) {
            String id = id("probe-" + via);
            try (ProbeClient p = probe(via, v, id)) {
                Connack ack = p.connect(Connect.builder(v).clientId(id).build()).orElseThrow();
                assertThat(ack.reasonCode()).isZero();
                assertThat(p.subscribe(id + "/t", QoS.AT_LEAST_ONCE).reasonCodes()).containsExactly(1);
                p.publish(Publish.of(id + "/t", "over " + via, QoS.AT_LEAST_ONCE, 0, false));
                Publish got = p.awaitPublish(id + "/t", WAIT).orElseThrow();
                assertThat(got.payload().toUtf8()).isEqualTo("over " + via);
                p.disconnect();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Via.class)
    void reference_clients_exchange_qos_0_1_2_both_ways(Via via) throws Exception {
        String a = id("ref-a");
        String b = id("ref-b");
        try (ReferenceClient sub = ReferenceClient.connect(endpoint(via), options(via, a).build());
             ReferenceClient pub = ReferenceClient.connect(endpoint(via), options(via, b).version(MqttVersion.V3_1_1).build())) {
            sub.subscribe(a + "/#", QoS.EXACTLY_ONCE);
            for (QoS q : QoS.values()) {
                pub.publish(a + "/" + q.value(), "q" + q.value(), q, false).get(5, TimeUnit.SECONDS);
            }
            List<ReferenceClient.Message> got = sub.receive(3);
            assertThat(got).extracting(ReferenceClient.Message::payloadUtf8).containsExactly("q0", "q1", "q2");
            assertThat(got).extracting(ReferenceClient.Message::qos).containsExactly(QoS.values());
        }
    }

    @Test
    void mutual_tls_without_a_client_certificate_is_refused() {
        assertThatThrownBy(() -> {
            try (ProbeClient p = ProbeClient.open(new Endpoint("localhost", mutual.tlsPort(), certs.clientContext(false),
                    null, null, null), MqttVersion.V5, "nocert", new Trace(), ProbeClient.Options.DEFAULT.withTimeout(WAIT))) {
                // TLS 1.3 reports a missing certificate only once data flows
                p.send(Connect.builder(MqttVersion.V5).clientId("nocert").build());
                if (p.await(Connack.class, WAIT).isEmpty()) {
                    throw new IOException("no CONNACK: refused");
                }
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void websocket_on_another_path_is_refused() {
        Endpoint wrong = Endpoint.tcp("127.0.0.1", broker.port())
                .withWebSocket(URI.create("ws://127.0.0.1:" + broker.webSocketPort() + "/other"));
        assertThatThrownBy(() -> ProbeClient.open(wrong, MqttVersion.V5, "ws-wrong", new Trace(),
                ProbeClient.Options.DEFAULT.withWebSocket(true).withTimeout(WAIT))).isInstanceOf(IOException.class);
    }

    @Test
    void keep_alive_closes_a_silent_connection_on_the_real_clock() throws IOException {
        String id = id("silent");
        try (ProbeClient p = probe(Via.TCP, MqttVersion.V5, id)) {
            p.connect(Connect.builder(MqttVersion.V5).clientId(id).keepAlive(1).build()).orElseThrow();
            // 1.5 x 1 s of silence; bounded wait for the broker's DISCONNECT and EOF
            Disconnect d = p.await(Disconnect.class, WAIT).orElseThrow();
            assertThat(d.reasonCode()).isEqualTo(ReasonCode.KEEP_ALIVE_TIMEOUT.value());
            assertThat(p.awaitClosed(WAIT)).isTrue();
        }
    }

    @Test
    void reference_client_resumes_its_session_and_gets_what_was_queued() throws Exception {
        String id = id("resume");
        ReferenceClient.Options o = options(Via.TCP, id).cleanStart(false).sessionExpiry(60).build();
        try (ReferenceClient sub = ReferenceClient.connect(endpoint(Via.TCP), o)) {
            sub.subscribe(id + "/q", QoS.EXACTLY_ONCE);
            sub.disconnect();
            try (ReferenceClient pub = ReferenceClient.connect(endpoint(Via.TCP), options(Via.TCP, id("p")).build())) {
                pub.publish(id + "/q", "one", QoS.AT_LEAST_ONCE, false).get(5, TimeUnit.SECONDS);
                pub.publish(id + "/q", "two", QoS.EXACTLY_ONCE, false).get(5, TimeUnit.SECONDS);
            }
            assertThat(sub.connect(false).sessionPresent()).isTrue();
            assertThat(sub.receive(2)).extracting(ReferenceClient.Message::payloadUtf8).containsExactly("one", "two");
        }
    }

    @Test
    void will_goes_out_when_a_reference_client_drops_and_scram_authenticates() throws Exception {
        try (ReferenceBroker secured = ReferenceBroker.start(BrokerConfig.builder().user("alice", "secret").build())) {
            Endpoint ep = Endpoint.tcp("127.0.0.1", secured.port());
            String id = id("will");
            try (ReferenceClient watcher = ReferenceClient.connect(ep, options(Via.TCP, id("w")).credentials("alice", "secret").build());
                 ReferenceClient dying = ReferenceClient.connect(ep, options(Via.TCP, id).credentials("alice", "secret").scram(true)
                         .will(Will.of(id + "/will", "gone", QoS.AT_LEAST_ONCE, false)).build())) {
                watcher.subscribe(id + "/will", QoS.AT_LEAST_ONCE);
                dying.dropConnection();
                assertThat(watcher.receive().payloadUtf8()).isEqualTo("gone");
            }
            assertThat(secured.enforcedStatements()).containsKey("5.0 MQTT-4.12.0-5");
        }
    }

    @Test
    void enforced_statements_are_counted_by_the_running_broker() {
        assertThat(broker.enforcedStatements()).containsKey("5.0 MQTT-3.2.0-1");
    }
}
