package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.Malformed;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Malformed packets and protocol errors (§4.8 of 3.1.1, §4.13 of 5.0): 3.1.1 closes the connection;
 * 5.0 sends DISCONNECT (or CONNACK, before the connection is accepted) with a reason code, then
 * closes. Nothing after the bad packet is processed.
 */
class MalformedTest {

    /** Bad packets after a successful CONNECT, as a function of the version. */
    static Stream<Arguments> badPackets() {
        List<Arguments> out = new ArrayList<>();
        for (MqttVersion v : new MqttVersion[] {V3_1_1, V5}) {
            out.add(Arguments.of(v, "PUBLISH with QoS 3", (Function<MqttVersion, byte[]>) ver ->
                    RawPacket.withFlags(MqttEncoder.encode(Publish.qos0("t", "x"), ver), 0b0110)));
            out.add(Arguments.of(v, "PUBLISH topic with a wildcard", (Function<MqttVersion, byte[]>) ver ->
                    MqttEncoder.encodeUnchecked(Publish.qos0("t", "x").withTopic(TopicName.unchecked("a/+")), ver)));
            out.add(Arguments.of(v, "SUBSCRIBE with reserved flags 0000", (Function<MqttVersion, byte[]>) ver ->
                    RawPacket.withFlags(MqttEncoder.encode(Subscribe.of(1, "a", QoS.AT_MOST_ONCE), ver), 0)));
            out.add(Arguments.of(v, "PUBLISH QoS 1 with packet identifier 0", (Function<MqttVersion, byte[]>) ver ->
                    MqttEncoder.encodeUnchecked(Publish.of("t", "x", QoS.AT_LEAST_ONCE, 0, false), ver)));
            out.add(Arguments.of(v, "reserved packet type 0", (Function<MqttVersion, byte[]>) ver ->
                    RawPacket.ofTypeCode(0).toBytes()));
            out.add(Arguments.of(v, "Remaining Length in five bytes", (Function<MqttVersion, byte[]>) ver ->
                    new byte[] {(byte) 0x30, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F}));
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("badPackets")
    void malformed_packet_after_connect_ends_the_connection_as_the_version_demands(MqttVersion v, String what,
                                                                                   Function<MqttVersion, byte[]> bytes) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(v, "bad");
        byte[] bad = bytes.apply(v);
        c.sendBytes(bad);
        assertThat(c.isClosed()).as("closed after " + what).isTrue();
        if (v.isV5()) {
            Disconnect d = c.expect(Disconnect.class);
            assertThat(d.reasonCode()).isGreaterThanOrEqualTo(0x80);
            assertThat(h.enforced(V5, "MQTT-4.13.1-1")).isTrue();
        } else {
            c.expectNothing();
            assertThat(h.enforced(V3_1_1, "MQTT-4.8.0-1")).isTrue();
        }
        // the statements the decoder names are the ones the decision counts
        for (String id : statementsOf(v, bad)) {
            if (id.startsWith("MQTT-")) {
                assertThat(h.enforced(v, id)).as(id).isTrue();
            }
        }
    }

    @Test
    void nothing_after_a_malformed_packet_is_processed() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(V3_1_1, "sub");
        sub.subscribe("t", QoS.AT_MOST_ONCE);
        CoreHarness.Conn c = h.connected(V3_1_1, "bad");
        byte[] bad = RawPacket.withFlags(MqttEncoder.encode(Publish.qos0("t", "x"), V3_1_1), 0b0110);
        byte[] good = MqttEncoder.encode(Publish.qos0("t", "after"), V3_1_1);
        byte[] both = new byte[bad.length + good.length];
        System.arraycopy(bad, 0, both, 0, bad.length);
        System.arraycopy(good, 0, both, bad.length, good.length);
        c.sendBytes(both);
        assertThat(sub.publishes()).isEmpty();
    }

    @Test
    void malformed_connect_v311_is_closed_without_connack() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.open(V3_1_1, "bad");
        byte[] connect = MqttEncoder.encode(Connect.builder(V3_1_1).clientId("bad").build(), V3_1_1);
        c.sendBytes(RawPacket.withBodyByte(connect, 7, 0x03)); // Connect Flags with the reserved bit set
        assertThat(c.isClosed()).isTrue();
        c.expectNothing();
    }

    @Test
    void malformed_connect_v5_gets_connack_with_an_error_code_then_close() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.open(V5, "bad");
        byte[] connect = MqttEncoder.encode(Connect.builder(V5).clientId("bad").build(), V5);
        c.sendBytes(RawPacket.withBodyByte(connect, 7, 0x03)); // Connect Flags with the reserved bit set
        assertThat(c.isClosed()).isTrue();
        Connack ack = c.expect(Connack.class);
        assertThat(ack.reasonCode()).isGreaterThanOrEqualTo(0x80);
        assertThat(ack.sessionPresent()).isFalse();
    }

    @Test
    void packet_above_the_brokers_maximum_packet_size_is_disconnected_0x95_v5() {
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(limitsWithMaxPacket(128)).build());
        CoreHarness.Conn c = h.connected(V5, "big");
        c.send(Publish.qos0("t", "x".repeat(200)));
        assertThat(c.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PACKET_TOO_LARGE.value());
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void packet_above_the_brokers_maximum_packet_size_is_closed_v311() {
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(limitsWithMaxPacket(128)).build());
        CoreHarness.Conn c = h.connected(V3_1_1, "big");
        c.send(Publish.qos0("t", "x".repeat(200)));
        assertThat(c.isClosed()).isTrue();
        c.expectNothing();
    }

    @Test
    void publish_larger_than_the_clients_maximum_packet_size_is_dropped_not_sent() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(V5, Connect.builder(V5).clientId("small")
                .property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, 64)).build());
        sub.subscribe("m", QoS.AT_LEAST_ONCE);
        CoreHarness.Conn pub = h.connected(V5, "pub");
        pub.publish("m", "x".repeat(100), QoS.AT_LEAST_ONCE, false);
        pub.publish("m", "small", QoS.AT_LEAST_ONCE, false);
        List<Publish> got = sub.publishes();
        assertThat(got).extracting(p -> p.payload().toUtf8()).containsExactly("small");
        assertThat(h.enforced(V5, "MQTT-3.1.2-24")).isTrue();
        assertThat(h.enforced(V5, "MQTT-3.1.2-25")).isTrue();
        // dropped as if delivered: it takes no slot of the client's Receive Maximum
        assertThat(sub.isClosed()).isFalse();
    }

    @Test
    void payload_format_indicator_1_with_invalid_utf8_is_refused_0x99() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(V5, "pfi");
        Publish p = new Publish(false, QoS.AT_LEAST_ONCE, false, TopicName.of("t"), 3,
                Properties.of(Property.number(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)), BinaryData.of(new byte[] {(byte) 0xC0, 0x00}));
        c.send(p);
        assertThat(c.expect(dev.mqttharness.spec.packet.Puback.class).reasonCode()).isEqualTo(ReasonCode.PAYLOAD_FORMAT_INVALID.value());
    }

    private static BrokerConfig.Limits limitsWithMaxPacket(int n) {
        BrokerConfig.Limits d = BrokerConfig.Limits.DEFAULTS;
        return new BrokerConfig.Limits(n, d.receiveMaximum(), d.topicAliasMaximum(), 2, true, true, true, true, null,
                d.maximumSessionExpiry(), 100);
    }

    /** What a fresh server decoder says about {@code bad} after a valid CONNECT of version {@code v}. */
    private static List<String> statementsOf(MqttVersion v, byte[] bad) {
        MqttDecoder d = MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
        d.feed(MqttEncoder.encode(Connect.builder(v).clientId("x").build(), v));
        for (DecodeResult r : d.feed(bad.clone())) {
            if (r instanceof Malformed) {
                return ((Malformed) r).statements();
            }
        }
        return List.of();
    }
}
