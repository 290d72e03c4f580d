package dev.mqttharness.suite;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.ReferenceBroker;
import dev.mqttharness.client.Endpoint;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.trace.Trace;
import dev.mqttharness.suite.scenarios.WebSocketScenarios;
import dev.mqttharness.suite.scenarios.WebSocketScenarios.Observed;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The WebSocket probes of {@link WebSocketScenarios} against a reference broker with a WebSocket
 * listener (the suite's embedded target has none yet): each must find the rules of §6 held.
 *
 * <p>To look at another broker, run with {@code -Dmqtt.ws.external=ws://127.0.0.1:PORT/mqtt,127.0.0.1:TCPPORT}:
 * {@link #external} prints what each probe observed there.
 */
class WebSocketTransportTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static ReferenceBroker broker;
    private static Endpoint endpoint;

    @BeforeAll
    static void start() throws Exception {
        broker = ReferenceBroker.start(BrokerConfig.builder().webSocket(0, "/mqtt").build());
        endpoint = Endpoint.tcp("127.0.0.1", broker.port())
                .withWebSocket(URI.create("ws://127.0.0.1:" + broker.webSocketPort() + "/mqtt"));
    }

    @AfterAll
    static void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    private static Connect connect(MqttVersion v, String id) {
        return Connect.builder(v).clientId(id + v.level()).cleanStart(true).build();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void reference_broker_selects_the_mqtt_subprotocol(MqttVersion v) {
        Observed o = WebSocketScenarios.subprotocol(endpoint.webSocket(), TIMEOUT, new Trace());
        assertThat(o.holds()).as(o.description()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void reference_broker_reads_packets_split_and_packed_across_frames(MqttVersion v) throws Exception {
        Observed split = WebSocketScenarios.splitAndPacked(endpoint, v, connect(v, "wssplit"), "ws/split/" + v.level(), new Trace(), TIMEOUT);
        assertThat(split.holds()).as(split.description()).isTrue();
        Observed fragmented = WebSocketScenarios.fragmented(endpoint.webSocket(), v, connect(v, "wsfrag"), new Trace(), TIMEOUT);
        assertThat(fragmented.holds()).as(fragmented.description()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void reference_broker_closes_on_a_text_frame(MqttVersion v) {
        Observed o = WebSocketScenarios.textFrame(endpoint.webSocket(), v, connect(v, "wstext"), "ws/text/" + v.level(), new Trace(), TIMEOUT);
        assertThat(o.holds()).as(o.description()).isTrue();
    }

    @Test
    @EnabledIfSystemProperty(named = "mqtt.ws.external", matches = ".+")
    void external(/* a broker outside: observations printed, not asserted */) throws Exception {
        String[] parts = System.getProperty("mqtt.ws.external").split(",");
        String[] hostPort = parts[1].split(":");
        Endpoint ep = Endpoint.tcp(hostPort[0], Integer.parseInt(hostPort[1])).withWebSocket(URI.create(parts[0]));
        for (MqttVersion v : List.of(MqttVersion.V3_1_1, MqttVersion.V5)) {
            System.out.println(v.label() + " MQTT-6.0.0-4: " + WebSocketScenarios.subprotocol(ep.webSocket(), TIMEOUT, new Trace()));
            System.out.println(v.label() + " MQTT-6.0.0-2 split/packed: "
                    + WebSocketScenarios.splitAndPacked(ep, v, connect(v, "xsplit"), "mh/ws/split/" + v.level(), new Trace(), TIMEOUT));
            System.out.println(v.label() + " MQTT-6.0.0-2 fragmented: "
                    + WebSocketScenarios.fragmented(ep.webSocket(), v, connect(v, "xfrag"), new Trace(), TIMEOUT));
            System.out.println(v.label() + " MQTT-6.0.0-1: "
                    + WebSocketScenarios.textFrame(ep.webSocket(), v, connect(v, "xtext"), "mh/ws/text/" + v.level(), new Trace(), TIMEOUT));
        }
    }
}
