package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V3_1;
import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.ReturnCode311;
import dev.mqttharness.spec.packet.Will;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** CONNECT / CONNACK (§3.1, §3.2): versions, sessions, takeover, keep alive, credentials. */
class ConnectTest {

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    void connect_is_answered_by_connack_accepted_first(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.open(v, "c");
        Connack ack = c.connect(Connect.builder(v).clientId("c").build());
        assertThat(ack.reasonCode()).isZero();
        assertThat(ack.sessionPresent()).isFalse();
        assertThat(c.received.get(0)).isSameAs(ack);
        assertThat(h.enforced(v, "MQTT-3.2.0-1")).isTrue();
        assertThat(h.enforced(v, v.isV5() ? "MQTT-3.1.4-5" : "MQTT-3.1.4-4")).isTrue();
    }

    @Test
    void connack_v5_announces_maximum_packet_size_and_topic_alias_maximum() {
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(new BrokerConfig.Limits(
                4096, 10, 5, 1, false, true, true, true, null, 0xFFFF_FFFFL, 100)).build());
        CoreHarness.Conn c = h.open(V5, "c");
        Connack ack = c.connect(Connect.builder(V5).clientId("c").build());
        assertThat(ack.properties().number(PropertyId.MAXIMUM_PACKET_SIZE, -1)).isEqualTo(4096);
        assertThat(ack.properties().number(PropertyId.TOPIC_ALIAS_MAXIMUM, -1)).isEqualTo(5);
        assertThat(ack.properties().number(PropertyId.RECEIVE_MAXIMUM, -1)).isEqualTo(10);
        assertThat(ack.properties().number(PropertyId.MAXIMUM_QOS, -1)).isEqualTo(1);
        assertThat(ack.properties().number(PropertyId.RETAIN_AVAILABLE, -1)).isZero();
        assertThat(h.enforced(V5, "MQTT-3.2.2-9")).isTrue();
    }

    @Test
    void mqtt_3_1_client_identifier_longer_than_23_is_rejected_with_0x02() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.open(V3_1, "c");
        Connack ack = c.connect(Connect.builder(V3_1).clientId("x".repeat(24)).build());
        assertThat(ack.reasonCode()).isEqualTo(ReturnCode311.IDENTIFIER_REJECTED);
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void clean_session_0_resumes_the_session_with_session_present_1_v311() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn a = h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("s").cleanStart(false).build());
        a.subscribe("t", QoS.AT_LEAST_ONCE);
        a.disconnect();
        assertThat(a.isClosed()).isTrue();
        CoreHarness.Conn b = h.open(V3_1_1, "s2");
        Connack ack = b.connect(Connect.builder(V3_1_1).clientId("s").cleanStart(false).build());
        assertThat(ack.sessionPresent()).isTrue();
        assertThat(h.enforced(V3_1_1, "MQTT-3.1.2-4")).isTrue();
        assertThat(h.enforced(V3_1_1, "MQTT-3.2.2-2")).isTrue();
        // the subscription survived
        CoreHarness.Conn p = h.connected(V3_1_1, "pub");
        p.publish("t", "x", QoS.AT_MOST_ONCE, false);
        assertThat(b.publishes()).extracting(m -> m.payload().toUtf8()).containsExactly("x");
    }

    @Test
    void clean_start_0_with_session_expiry_resumes_the_session_v5() {
        CoreHarness h = new CoreHarness();
        Connect connect = Connect.builder(V5).clientId("s").cleanStart(false)
                .property(dev.mqttharness.spec.packet.Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 60)).build();
        CoreHarness.Conn a = h.connected(V5, connect);
        a.disconnect();
        Connack ack = h.open(V5, "s2").connect(connect);
        assertThat(ack.sessionPresent()).isTrue();
        assertThat(h.enforced(V5, "MQTT-3.1.2-5")).isTrue();
    }

    @Test
    void clean_start_1_discards_the_existing_session() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn a = h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("s").cleanStart(false).build());
        a.subscribe("t", QoS.AT_LEAST_ONCE);
        a.disconnect();
        CoreHarness.Conn b = h.open(V3_1_1, "s2");
        Connack ack = b.connect(Connect.builder(V3_1_1).clientId("s").cleanStart(true).build());
        assertThat(ack.sessionPresent()).isFalse();
        assertThat(h.enforced(V3_1_1, "MQTT-3.1.2-6")).isTrue();
        CoreHarness.Conn p = h.connected(V3_1_1, "pub");
        p.publish("t", "x", QoS.AT_MOST_ONCE, false);
        assertThat(b.publishes()).isEmpty();
    }

    @Test
    void session_expiry_0_ends_the_session_with_the_connection_v5() {
        CoreHarness h = new CoreHarness();
        Connect connect = Connect.builder(V5).clientId("s").cleanStart(false).build();
        h.connected(V5, connect).disconnect();
        assertThat(h.core.sessionCount()).isZero();
        assertThat(h.open(V5, "again").connect(connect).sessionPresent()).isFalse();
    }

    @Test
    void takeover_v5_sends_disconnect_0x8e_to_the_existing_connection_and_closes_it() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn first = h.connected(V5, "dup");
        CoreHarness.Conn second = h.connected(V5, "dup");
        Disconnect d = first.expect(Disconnect.class);
        assertThat(d.reasonCode()).isEqualTo(ReasonCode.SESSION_TAKEN_OVER.value());
        assertThat(first.isClosed()).isTrue();
        assertThat(second.isClosed()).isFalse();
        assertThat(h.enforced(V5, "MQTT-3.1.4-3")).isTrue();
    }

    @Test
    void takeover_v311_closes_the_existing_connection_without_disconnect() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn first = h.connected(V3_1_1, "dup");
        h.connected(V3_1_1, "dup");
        first.expectNothing();
        assertThat(first.isClosed()).isTrue();
        assertThat(h.enforced(V3_1_1, "MQTT-3.1.4-2")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void keep_alive_closes_after_one_and_a_half_times_the_interval_of_silence(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(v, Connect.builder(v).clientId("k").keepAlive(10).build());
        h.advance(14_000);
        c.ping(); // any packet restarts the count
        assertThat(c.expect(Pingresp.class)).isNotNull();
        h.advance(15_000);
        assertThat(c.isClosed()).isFalse();
        h.advance(1);
        assertThat(c.isClosed()).isTrue();
        if (v.isV5()) {
            assertThat(c.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.KEEP_ALIVE_TIMEOUT.value());
        } else {
            c.expectNothing();
        }
        assertThat(h.enforced(v, v.isV5() ? "MQTT-3.1.2-22" : "MQTT-3.1.2-24")).isTrue();
    }

    @Test
    void keep_alive_0_never_closes() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("k").keepAlive(0).build());
        h.advance(3_600_000);
        assertThat(c.isClosed()).isFalse();
    }

    @Test
    void server_keep_alive_is_announced_and_used_instead_of_the_clients() {
        BrokerConfig.Limits d = BrokerConfig.Limits.DEFAULTS;
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(new BrokerConfig.Limits(d.maximumPacketSize(),
                d.receiveMaximum(), d.topicAliasMaximum(), 2, true, true, true, true, 2, d.maximumSessionExpiry(), 100)).build());
        CoreHarness.Conn c = h.open(V5, "k");
        Connack ack = c.connect(Connect.builder(V5).clientId("k").keepAlive(100).build());
        assertThat(ack.properties().number(PropertyId.SERVER_KEEP_ALIVE, -1)).isEqualTo(2);
        h.advance(3_001);
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void no_connect_within_the_connect_timeout_closes_the_connection() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.open(V3_1_1, "silent");
        h.advanceStepwise(BrokerCore.CONNECT_TIMEOUT_MS + 1);
        assertThat(c.isClosed()).isTrue();
        c.expectNothing();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void wrong_password_is_refused_and_closed(MqttVersion v) {
        CoreHarness h = new CoreHarness(BrokerConfig.builder().user("alice", "secret").build());
        CoreHarness.Conn c = h.open(v, "c");
        Connack ack = c.connect(Connect.builder(v).clientId("c").username("alice").password("wrong").build());
        assertThat(ack.reasonCode()).isEqualTo(v.isV5() ? ReasonCode.BAD_USER_NAME_OR_PASSWORD.value()
                : ReturnCode311.BAD_USER_NAME_OR_PASSWORD);
        assertThat(ack.sessionPresent()).isFalse();
        assertThat(c.isClosed()).isTrue();
        assertThat(h.enforced(v, v.isV5() ? "MQTT-3.2.2-7" : "MQTT-3.2.2-5")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void right_password_is_accepted(MqttVersion v) {
        CoreHarness h = new CoreHarness(BrokerConfig.builder().user("alice", "secret").build());
        Connack ack = h.open(v, "c").connect(Connect.builder(v).clientId("c").username("alice").password("secret").build());
        assertThat(ack.reasonCode()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void anonymous_client_is_refused_when_anonymous_is_off(MqttVersion v) {
        CoreHarness h = new CoreHarness(BrokerConfig.builder().allowAnonymous(false).user("a", "b").build());
        CoreHarness.Conn c = h.open(v, "c");
        Connack ack = c.connect(Connect.builder(v).clientId("c").build());
        assertThat(ack.reasonCode()).isEqualTo(v.isV5() ? ReasonCode.NOT_AUTHORIZED.value() : ReturnCode311.NOT_AUTHORIZED);
        assertThat(c.isClosed()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void second_connect_is_a_protocol_violation(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(v, "twice");
        c.send(Connect.builder(v).clientId("twice").build());
        assertThat(c.isClosed()).isTrue();
        if (v.isV5()) {
            assertThat(c.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR.value());
        } else {
            c.expectNothing();
        }
        assertThat(h.enforced(v, "MQTT-3.1.0-2")).isTrue();
    }

    @Test
    void first_packet_other_than_connect_closes_the_connection() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.open(V3_1_1, "early");
        c.send(Publish.qos0("t", "x"));
        assertThat(c.isClosed()).isTrue();
        c.expectNothing();
    }

    @Test
    void zero_length_client_id_with_clean_session_1_gets_an_identifier_v311() {
        CoreHarness h = new CoreHarness();
        Connack ack = h.open(V3_1_1, "anon").connect(Connect.builder(V3_1_1).clientId("").build());
        assertThat(ack.reasonCode()).isZero();
        assertThat(h.enforced(V3_1_1, "MQTT-3.1.3-6")).isTrue();
    }

    @Test
    void zero_length_client_id_with_clean_session_0_is_rejected_with_0x02_v311() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.open(V3_1_1, "anon");
        Connack ack = c.connect(Connect.builder(V3_1_1).clientId("").cleanStart(false).build());
        assertThat(ack.reasonCode()).isEqualTo(ReturnCode311.IDENTIFIER_REJECTED);
        assertThat(c.isClosed()).isTrue();
        assertThat(h.enforced(V3_1_1, "MQTT-3.1.3-8")).isTrue();
    }

    @Test
    void zero_length_client_id_v5_gets_an_assigned_client_identifier() {
        CoreHarness h = new CoreHarness();
        Connack ack = h.open(V5, "anon").connect(Connect.builder(V5).clientId("").build());
        assertThat(ack.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER)).isNotNull();
        assertThat(ack.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER).toString()).isNotEmpty();
        assertThat(h.enforced(V5, "MQTT-3.2.2-16")).isTrue();
    }

    @Test
    void unsupported_protocol_level_below_5_gets_connack_0x01_then_close() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.open(V3_1_1, "lvl");
        byte[] connect = MqttEncoder.encode(Connect.builder(V3_1_1).clientId("lvl").build(), V3_1_1);
        c.sendBytes(RawPacket.withBodyByte(connect, 6, 2)); // Protocol Level 2
        assertThat(c.expect(Connack.class).reasonCode()).isEqualTo(ReturnCode311.UNACCEPTABLE_PROTOCOL_VERSION);
        assertThat(c.isClosed()).isTrue();
        assertThat(h.enforced(V3_1_1, "MQTT-3.1.2-2")).isTrue();
    }

    @Test
    void unsupported_protocol_level_above_5_gets_connack_0x84_then_close() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.open(V5, "lvl");
        byte[] connect = MqttEncoder.encode(Connect.builder(V5).clientId("lvl").build(), V5);
        c.sendBytes(RawPacket.withBodyByte(connect, 6, 6)); // Protocol Level 6
        assertThat(c.expect(Connack.class).reasonCode()).isEqualTo(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION.value());
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void will_qos_above_maximum_qos_is_refused_with_0x9b_v5() {
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(BrokerConfig.Limits.DEFAULTS.withMaximumQos(1)).build());
        CoreHarness.Conn c = h.open(V5, "w");
        Connack ack = c.connect(Connect.builder(V5).clientId("w").will(Will.of("w", "x", QoS.EXACTLY_ONCE, false)).build());
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.QOS_NOT_SUPPORTED.value());
        assertThat(c.isClosed()).isTrue();
        assertThat(h.enforced(V5, "MQTT-3.2.2-12")).isTrue();
    }

    @Test
    void pingreq_is_answered_with_pingresp() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(V3_1_1, "p");
        c.ping();
        c.expect(Pingresp.class);
        assertThat(h.enforced(V3_1_1, "MQTT-3.12.4-1")).isTrue();
    }

    @Test
    void response_information_is_sent_only_when_requested() {
        CoreHarness h = new CoreHarness();
        Connack plain = h.open(V5, "a").connect(Connect.builder(V5).clientId("a").build());
        assertThat(plain.properties().has(PropertyId.RESPONSE_INFORMATION)).isFalse();
        Connack asked = h.open(V5, "b").connect(Connect.builder(V5).clientId("b")
                .property(dev.mqttharness.spec.packet.Property.number(PropertyId.REQUEST_RESPONSE_INFORMATION, 1)).build());
        assertThat(asked.properties().has(PropertyId.RESPONSE_INFORMATION)).isTrue();
        assertThat(h.enforced(V5, "MQTT-3.1.2-28")).isTrue();
    }
}
