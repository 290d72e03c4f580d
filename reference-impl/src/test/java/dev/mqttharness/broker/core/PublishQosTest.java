package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** QoS 0/1/2 flows both ways (§4.3), flow control (§4.9), re-delivery on resume (§4.4), ordering (§4.6). */
class PublishQosTest {

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void qos0_publish_is_forwarded_to_the_subscriber_without_packet_identifier(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(v, "sub");
        sub.subscribe("a/b", QoS.EXACTLY_ONCE);
        h.connected(v, "pub").publish("a/b", "zero", QoS.AT_MOST_ONCE, false);
        Publish p = sub.expect(Publish.class);
        assertThat(p.qos()).isEqualTo(QoS.AT_MOST_ONCE);
        assertThat(p.packetId()).isZero();
        assertThat(p.dup()).isFalse();
        assertThat(p.payload().toUtf8()).isEqualTo("zero");
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void qos1_publish_is_acknowledged_with_puback_of_the_same_identifier(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn pub = h.connected(v, "pub");
        pub.send(Publish.of("a", "one", QoS.AT_LEAST_ONCE, 77, false));
        assertThat(pub.expect(Puback.class).packetId()).isEqualTo(77);
        assertThat(h.enforced(v, "MQTT-3.3.4-1")).isTrue();
        assertThat(h.enforced(v, v.isV5() ? "MQTT-4.3.2-4" : "MQTT-4.3.2-2")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void qos1_delivery_to_a_subscriber_has_a_packet_identifier_and_ends_with_its_puback(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(v, "sub");
        sub.subscribe("a", QoS.AT_LEAST_ONCE);
        h.connected(v, "pub").publish("a", "one", QoS.AT_LEAST_ONCE, false);
        Publish p = sub.expect(Publish.class);
        assertThat(p.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(p.packetId()).isNotZero();
        assertThat(p.dup()).isFalse();
        sub.ack(p);
        assertThat(h.enforced(v, v.isV5() ? "MQTT-2.2.1-4" : "MQTT-2.3.1-4")).isTrue();
        assertThat(h.enforced(v, "MQTT-4.3.1-1")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void qos2_publish_gets_pubrec_and_pubrel_gets_pubcomp(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(v, "sub");
        sub.subscribe("a", QoS.EXACTLY_ONCE);
        CoreHarness.Conn pub = h.connected(v, "pub");
        pub.send(Publish.of("a", "two", QoS.EXACTLY_ONCE, 5, false));
        assertThat(pub.expect(Pubrec.class).packetId()).isEqualTo(5);
        // re-sent with DUP before the PUBREL: PUBREC again, no second delivery
        pub.send(Publish.of("a", "two", QoS.EXACTLY_ONCE, 5, false).withDup(true));
        assertThat(pub.expect(Pubrec.class).packetId()).isEqualTo(5);
        pub.send(new Pubrel(5));
        Pubcomp comp = pub.expect(Pubcomp.class);
        assertThat(comp.packetId()).isEqualTo(5);
        assertThat(comp.reasonCode()).isZero();
        assertThat(sub.publishes()).hasSize(1);
        assertThat(h.enforced(v, v.isV5() ? "MQTT-4.3.3-10" : "MQTT-4.3.3-2")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void qos2_delivery_to_a_subscriber_goes_publish_pubrec_pubrel_pubcomp(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(v, "sub");
        sub.subscribe("a", QoS.EXACTLY_ONCE);
        h.connected(v, "pub").publish("a", "two", QoS.EXACTLY_ONCE, false);
        Publish p = sub.expect(Publish.class);
        assertThat(p.qos()).isEqualTo(QoS.EXACTLY_ONCE);
        sub.send(new Pubrec(p.packetId()));
        assertThat(sub.expect(Pubrel.class).packetId()).isEqualTo(p.packetId());
        sub.send(new Pubcomp(p.packetId()));
        sub.ping();
        sub.expect(dev.mqttharness.spec.packet.Pingresp.class);
        sub.expectNothing();
        assertThat(h.enforced(v, v.isV5() ? "MQTT-4.3.3-4" : "MQTT-4.3.3-1")).isTrue();
    }

    @Test
    void pubrel_for_an_unknown_identifier_gets_pubcomp_0x92_v5() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(V5, "c");
        c.send(new Pubrel(999));
        Pubcomp comp = c.expect(Pubcomp.class);
        assertThat(comp.packetId()).isEqualTo(999);
        assertThat(comp.reasonCode()).isEqualTo(ReasonCode.PACKET_IDENTIFIER_NOT_FOUND.value());
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void delivery_qos_is_the_minimum_of_published_and_granted(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(v, "sub");
        sub.subscribe("a", QoS.AT_LEAST_ONCE);
        h.connected(v, "pub").publish("a", "x", QoS.EXACTLY_ONCE, false);
        assertThat(sub.expect(Publish.class).qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(h.enforced(v, v.isV5() ? "MQTT-3.8.4-8" : "MQTT-3.8.4-6")).isTrue();
    }

    @Test
    void maximum_qos_caps_the_granted_qos_and_a_qos2_publish_above_it_is_disconnected_0x9b() {
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(BrokerConfig.Limits.DEFAULTS.withMaximumQos(1)).build());
        CoreHarness.Conn c = h.connected(V5, "c");
        assertThat(c.subscribe("a", QoS.EXACTLY_ONCE).reasonCodes()).containsExactly(1);
        c.send(Publish.of("a", "x", QoS.EXACTLY_ONCE, 1, false));
        assertThat(c.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.QOS_NOT_SUPPORTED.value());
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void more_unacknowledged_qos2_publishes_than_receive_maximum_is_disconnected_0x93() {
        BrokerConfig.Limits d = BrokerConfig.Limits.DEFAULTS;
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(new BrokerConfig.Limits(d.maximumPacketSize(), 2,
                d.topicAliasMaximum(), 2, true, true, true, true, null, d.maximumSessionExpiry(), 100)).build());
        CoreHarness.Conn c = h.open(V5, "c");
        Connack ack = c.connect(Connect.builder(V5).clientId("c").build());
        assertThat(ack.properties().number(PropertyId.RECEIVE_MAXIMUM, -1)).isEqualTo(2);
        c.send(Publish.of("a", "1", QoS.EXACTLY_ONCE, 1, false));
        c.send(Publish.of("a", "2", QoS.EXACTLY_ONCE, 2, false));
        assertThat(c.isClosed()).isFalse();
        c.send(Publish.of("a", "3", QoS.EXACTLY_ONCE, 3, false));
        assertThat(c.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.RECEIVE_MAXIMUM_EXCEEDED.value());
        assertThat(c.isClosed()).isTrue();
        assertThat(h.enforced(V5, "MQTT-3.3.4-7")).isTrue();
    }

    @Test
    void broker_never_has_more_unacknowledged_publishes_than_the_clients_receive_maximum() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(V5, Connect.builder(V5).clientId("sub")
                .property(Property.number(PropertyId.RECEIVE_MAXIMUM, 2)).build());
        sub.subscribe("a", QoS.AT_LEAST_ONCE);
        CoreHarness.Conn pub = h.connected(V5, "pub");
        for (int i = 0; i < 5; i++) {
            pub.publish("a", "m" + i, QoS.AT_LEAST_ONCE, false);
        }
        List<Publish> first = sub.publishes();
        assertThat(first).extracting(p -> p.payload().toUtf8()).containsExactly("m0", "m1");
        assertThat(h.enforced(V5, "MQTT-3.3.4-9")).isTrue();
        sub.send(new Puback(first.get(0).packetId()));
        assertThat(sub.publishes()).extracting(p -> p.payload().toUtf8()).containsExactly("m2");
        sub.send(new Puback(first.get(1).packetId()));
        assertThat(sub.publishes()).extracting(p -> p.payload().toUtf8()).containsExactly("m3");
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void unacknowledged_qos1_publish_is_resent_with_dup_and_the_same_identifier_on_resume(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        Connect connect = persistent(v, "sub");
        CoreHarness.Conn sub = h.connected(v, connect);
        sub.subscribe("a", QoS.AT_LEAST_ONCE);
        h.connected(v, "pub").publish("a", "x", QoS.AT_LEAST_ONCE, false);
        Publish first = sub.expect(Publish.class);
        sub.lose();
        CoreHarness.Conn again = h.open(v, "sub-again");
        assertThat(again.connect(connect).sessionPresent()).isTrue();
        Publish resent = again.expect(Publish.class);
        assertThat(resent.dup()).isTrue();
        assertThat(resent.packetId()).isEqualTo(first.packetId());
        assertThat(resent.payload().toUtf8()).isEqualTo("x");
        assertThat(h.enforced(v, "MQTT-4.4.0-1")).isTrue();
        assertThat(h.enforced(v, "MQTT-3.3.1-1")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void pubrel_is_resent_on_resume_after_pubrec(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        Connect connect = persistent(v, "sub");
        CoreHarness.Conn sub = h.connected(v, connect);
        sub.subscribe("a", QoS.EXACTLY_ONCE);
        h.connected(v, "pub").publish("a", "x", QoS.EXACTLY_ONCE, false);
        Publish first = sub.expect(Publish.class);
        sub.send(new Pubrec(first.packetId()));
        sub.expect(Pubrel.class);
        sub.lose();
        CoreHarness.Conn again = h.open(v, "sub-again");
        again.connect(connect);
        assertThat(again.expect(Pubrel.class).packetId()).isEqualTo(first.packetId());
        again.send(new Pubcomp(first.packetId()));
        again.expectNothing();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void qos1_messages_for_a_disconnected_session_are_queued_and_delivered_in_order_on_resume(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        Connect connect = persistent(v, "sub");
        CoreHarness.Conn sub = h.connected(v, connect);
        sub.subscribe("a", QoS.AT_LEAST_ONCE);
        sub.disconnect();
        CoreHarness.Conn pub = h.connected(v, "pub");
        for (int i = 0; i < 3; i++) {
            pub.publish("a", "q" + i, QoS.AT_LEAST_ONCE, false);
        }
        pub.publish("a", "dropped", QoS.AT_MOST_ONCE, false);
        CoreHarness.Conn again = h.open(v, "sub-again");
        again.connect(connect);
        List<Publish> got = again.publishes();
        assertThat(got).extracting(p -> p.payload().toUtf8()).containsExactly("q0", "q1", "q2");
        assertThat(got).allSatisfy(p -> assertThat(p.dup()).isFalse());
    }

    @Test
    void messages_from_one_publisher_arrive_in_the_order_published_across_qos_levels() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(V3_1_1, "sub");
        sub.subscribe("o", QoS.EXACTLY_ONCE);
        CoreHarness.Conn pub = h.connected(V3_1_1, "pub");
        for (int i = 0; i < 6; i++) {
            pub.publish("o", "m" + i, QoS.of(i % 3), false);
        }
        assertThat(sub.publishes()).extracting(p -> p.payload().toUtf8()).containsExactly("m0", "m1", "m2", "m3", "m4", "m5");
    }

    @Test
    void packet_identifiers_in_flight_are_never_reused() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(V3_1_1, "sub");
        sub.subscribe("a", QoS.AT_LEAST_ONCE);
        CoreHarness.Conn pub = h.connected(V3_1_1, "pub");
        for (int i = 0; i < 20; i++) {
            pub.publish("a", "m" + i, QoS.AT_LEAST_ONCE, false);
        }
        assertThat(sub.publishes()).extracting(Publish::packetId).doesNotHaveDuplicates().doesNotContain(0);
    }

    @Test
    void publish_to_a_topic_nobody_subscribed_is_still_acknowledged() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn pub = h.connected(V5, "pub");
        pub.publish("nobody/here", "x", QoS.EXACTLY_ONCE, false);
    }

    static Connect persistent(MqttVersion v, String id) {
        Connect.Builder b = Connect.builder(v).clientId(id).cleanStart(false);
        if (v.isV5()) {
            b.property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 300));
        }
        return b.build();
    }
}
