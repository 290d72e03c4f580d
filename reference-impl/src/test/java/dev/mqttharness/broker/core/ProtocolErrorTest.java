package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.TopicSubscription;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 5.0 Protocol Errors a client can make with well-formed bytes (§4.13): DISCONNECT (or CONNACK) with a reason, then close. */
class ProtocolErrorTest {

    private static void assertProtocolError(CoreHarness.Conn c) {
        assertThat(c.isClosed()).as("closed").isTrue();
        Disconnect d = c.expect(Disconnect.class);
        assertThat(d.reasonCode()).isGreaterThanOrEqualTo(0x80);
    }

    @Test
    void topic_alias_0_is_a_protocol_error() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(V5, "c");
        c.sendUnchecked(Publish.qos0("t", "x").withProperties(Properties.of(Property.number(PropertyId.TOPIC_ALIAS, 0))));
        assertProtocolError(c);
    }

    @Test
    void no_local_on_a_shared_subscription_is_a_protocol_error() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(V5, "c");
        c.sendUnchecked(new Subscribe(1, Properties.EMPTY, List.of(TopicSubscription.of("$share/g/t", QoS.AT_MOST_ONCE).withNoLocal(true))));
        assertProtocolError(c);
    }

    @Test
    void subscription_identifier_0_is_a_protocol_error() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(V5, "c");
        c.sendUnchecked(new Subscribe(1, Properties.of(Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, 0)),
                List.of(TopicSubscription.of("t", QoS.AT_MOST_ONCE))));
        assertProtocolError(c);
    }

    @Test
    void subscription_identifier_on_a_client_publish_is_a_protocol_error() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(V5, "c");
        c.sendUnchecked(Publish.qos0("t", "x").withProperties(Properties.of(Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, 3))));
        assertProtocolError(c);
    }

    @Test
    void empty_topic_without_alias_is_a_protocol_error() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(V5, "c");
        c.sendUnchecked(Publish.qos0("t", "x").withTopic(TopicName.EMPTY));
        assertProtocolError(c);
    }

    @Test
    void receive_maximum_0_in_connect_is_refused() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.open(V5, "c");
        c.sendUnchecked(Connect.builder(V5).clientId("c").property(Property.number(PropertyId.RECEIVE_MAXIMUM, 0)).build());
        assertThat(c.expect(Connack.class).reasonCode()).isGreaterThanOrEqualTo(0x80);
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void maximum_packet_size_0_in_connect_is_refused() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.open(V5, "c");
        c.sendUnchecked(Connect.builder(V5).clientId("c").property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, 0)).build());
        assertThat(c.expect(Connack.class).reasonCode()).isGreaterThanOrEqualTo(0x80);
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void puback_with_unknown_identifier_is_ignored() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(V5, "c");
        c.send(new dev.mqttharness.spec.packet.Puback(77));
        c.ping();
        c.expect(dev.mqttharness.spec.packet.Pingresp.class);
        assertThat(c.isClosed()).isFalse();
    }
}
