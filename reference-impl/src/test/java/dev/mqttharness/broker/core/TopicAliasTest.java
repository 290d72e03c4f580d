package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.TopicName;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Topic aliases both ways (§3.3.2.3.4). */
class TopicAliasTest {

    private static Publish aliased(String topic, int alias, String payload) {
        return Publish.qos0("x", payload).withTopic(topic.isEmpty() ? TopicName.EMPTY : TopicName.of(topic))
                .withProperties(Properties.of(Property.number(PropertyId.TOPIC_ALIAS, alias)));
    }

    @Test
    void incoming_topic_alias_is_set_by_a_named_publish_and_resolved_on_an_empty_topic() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(V5, "sub");
        sub.subscribe("al/t", QoS.AT_MOST_ONCE);
        CoreHarness.Conn pub = h.connected(V5, "pub");
        pub.send(aliased("al/t", 1, "named"));
        pub.send(aliased("", 1, "by-alias"));
        assertThat(sub.publishes()).extracting(p -> p.topic() + "=" + p.payload().toUtf8())
                .containsExactly("al/t=named", "al/t=by-alias");
        assertThat(h.enforced(V5, "MQTT-3.3.2-12")).isTrue();
    }

    @Test
    void incoming_topic_alias_above_the_brokers_maximum_is_disconnected_0x94() {
        BrokerConfig.Limits d = BrokerConfig.Limits.DEFAULTS;
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(new BrokerConfig.Limits(d.maximumPacketSize(),
                d.receiveMaximum(), 2, 2, true, true, true, true, null, d.maximumSessionExpiry(), 100)).build());
        CoreHarness.Conn pub = h.connected(V5, "pub");
        pub.send(aliased("a", 3, "x"));
        assertThat(pub.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.TOPIC_ALIAS_INVALID.value());
        assertThat(pub.isClosed()).isTrue();
    }

    @Test
    void incoming_unmapped_topic_alias_with_an_empty_topic_is_a_protocol_error() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn pub = h.connected(V5, "pub");
        pub.send(aliased("", 4, "x"));
        assertThat(pub.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR.value());
    }

    @Test
    void incoming_topic_aliases_do_not_survive_the_connection() {
        CoreHarness h = new CoreHarness();
        Connect persistent = Connect.builder(V5).clientId("pub").cleanStart(false)
                .property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 60)).build();
        CoreHarness.Conn pub = h.connected(V5, persistent);
        pub.send(aliased("a", 1, "x"));
        pub.disconnect();
        CoreHarness.Conn again = h.open(V5, "pub2");
        again.connect(persistent);
        again.send(aliased("", 1, "y"));
        assertThat(again.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR.value());
    }

    @Test
    void outgoing_topic_alias_is_used_within_the_clients_maximum() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(V5, Connect.builder(V5).clientId("sub")
                .property(Property.number(PropertyId.TOPIC_ALIAS_MAXIMUM, 1)).build());
        sub.subscribe("o/#", QoS.AT_MOST_ONCE);
        CoreHarness.Conn pub = h.connected(V5, "pub");
        pub.publish("o/a", "1", QoS.AT_MOST_ONCE, false);
        pub.publish("o/a", "2", QoS.AT_MOST_ONCE, false);
        pub.publish("o/b", "3", QoS.AT_MOST_ONCE, false);
        List<Publish> got = sub.publishes();
        assertThat(got).hasSize(3);
        assertThat(got.get(0).topic().toString()).isEqualTo("o/a");
        assertThat(sub.alias(got.get(0))).isEqualTo(1);
        assertThat(got.get(1).topic().isEmpty()).isTrue();
        assertThat(sub.alias(got.get(1))).isEqualTo(1);
        // the maximum is used up: the next topic goes by name, without an alias
        assertThat(got.get(2).topic().toString()).isEqualTo("o/b");
        assertThat(sub.alias(got.get(2))).isZero();
        assertThat(h.enforced(V5, "MQTT-3.3.2-11")).isTrue();
    }

    @Test
    void no_outgoing_topic_alias_when_the_client_allows_none() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(V5, "sub");
        sub.subscribe("o", QoS.AT_MOST_ONCE);
        CoreHarness.Conn pub = h.connected(V5, "pub");
        pub.publish("o", "1", QoS.AT_MOST_ONCE, false);
        pub.publish("o", "2", QoS.AT_MOST_ONCE, false);
        assertThat(sub.publishes()).allSatisfy(p -> {
            assertThat(p.properties().has(PropertyId.TOPIC_ALIAS)).isFalse();
            assertThat(p.topic().toString()).isEqualTo("o");
        });
        assertThat(h.enforced(V5, "MQTT-3.1.2-27")).isTrue();
    }

    @Test
    void publish_resent_on_resume_carries_the_topic_name_not_an_alias() {
        CoreHarness h = new CoreHarness();
        Connect persistent = Connect.builder(V5).clientId("sub").cleanStart(false)
                .property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 60))
                .property(Property.number(PropertyId.TOPIC_ALIAS_MAXIMUM, 5)).build();
        CoreHarness.Conn sub = h.connected(V5, persistent);
        sub.subscribe("r", QoS.AT_LEAST_ONCE);
        CoreHarness.Conn pub = h.connected(V5, "pub");
        pub.publish("r", "1", QoS.AT_LEAST_ONCE, false);
        pub.publish("r", "2", QoS.AT_LEAST_ONCE, false);
        assertThat(sub.publishes()).hasSize(2);
        sub.lose();
        CoreHarness.Conn again = h.open(V5, "sub2");
        again.connect(persistent);
        List<Publish> resent = again.publishes();
        assertThat(resent).hasSize(2).allSatisfy(p -> {
            assertThat(p.dup()).isTrue();
            assertThat(p.topic().toString()).isEqualTo("r");
        });
    }
}
