package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.ReturnCode311;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** SUBSCRIBE / UNSUBSCRIBE (§3.8, §3.10), topic matching (§4.7), options (§3.8.3.1), shared subscriptions (§4.8.2). */
class SubscriptionTest {

    @ParameterizedTest(name = "{0} matches {1}: {2}")
    @CsvSource({
            "TopicA/+, TopicA/B, true",
            "TopicA/+, TopicA, false",
            "TopicA/+, TopicA/B/C, false",
            "+/C, Topic/C, true",
            "+/C, /C, true",
            "#, TopicA/B, true",
            "#, /TopicA, true",
            "TopicA/#, TopicA, true",
            "TopicA/#, TopicA/B/C, true",
            "/TopicA, TopicA, false",
            "+/+, /TopicA, true",
            "#, $SYS/broker, false",
            "+/broker, $SYS/broker, false",
            "$SYS/#, $SYS/broker, true",
            "$SYS/+, $SYS/broker, true",
            "sport/tennis/#, sport/tennis, true",
            "Sport, sport, false",
    })
    void topic_filter_matching(String filter, String topic, boolean matches) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(V5, "sub");
        sub.subscribe(filter, QoS.AT_MOST_ONCE);
        h.connected(V5, "pub").publish(topic, "x", QoS.AT_MOST_ONCE, false);
        assertThat(sub.publishes()).hasSize(matches ? 1 : 0);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void suback_has_one_code_per_filter_with_the_granted_qos(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(v, "c");
        assertThat(c.subscribe(TopicSubscription.of("a", QoS.AT_MOST_ONCE), TopicSubscription.of("b", QoS.AT_LEAST_ONCE),
                TopicSubscription.of("c/#", QoS.EXACTLY_ONCE)).reasonCodes()).containsExactly(0, 1, 2);
        assertThat(h.enforced(v, "MQTT-3.8.4-1")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void identical_filter_replaces_the_subscription(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(v, "sub");
        sub.subscribe("a", QoS.AT_MOST_ONCE);
        sub.subscribe("a", QoS.AT_LEAST_ONCE);
        h.connected(v, "pub").publish("a", "x", QoS.AT_LEAST_ONCE, false);
        List<Publish> got = sub.publishes();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        assertThat(h.enforced(v, "MQTT-3.8.4-3")).isTrue();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void overlapping_subscriptions_deliver_once_at_the_highest_qos(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(v, "sub");
        sub.subscribe(TopicSubscription.of("Topic/#", QoS.EXACTLY_ONCE), TopicSubscription.of("Topic/+", QoS.AT_LEAST_ONCE));
        h.connected(v, "pub").publish("Topic/C", "x", QoS.EXACTLY_ONCE, false);
        List<Publish> got = sub.publishes();
        assertThat(got).hasSize(1);
        assertThat(got.get(0).qos()).isEqualTo(QoS.EXACTLY_ONCE);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void unsubscribe_stops_delivery_and_is_acknowledged(MqttVersion v) {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(v, "sub");
        sub.subscribe("a", QoS.AT_MOST_ONCE);
        Unsuback u = sub.unsubscribe("a", "never");
        if (v.isV5()) {
            assertThat(u.reasonCodes()).containsExactly(0, ReasonCode.NO_SUBSCRIPTION_EXISTED.value());
        } else {
            assertThat(u.reasonCodes()).isEmpty();
        }
        h.connected(v, "pub").publish("a", "x", QoS.AT_MOST_ONCE, false);
        assertThat(sub.publishes()).isEmpty();
        assertThat(h.enforced(v, "MQTT-3.10.4-2")).isTrue();
        assertThat(h.enforced(v, "MQTT-3.10.4-4")).isTrue();
    }

    @Test
    void unsubscribe_of_nothing_is_still_answered_with_unsuback() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(V3_1_1, "c");
        c.unsubscribe("nothing");
        assertThat(h.enforced(V3_1_1, "MQTT-3.10.4-5")).isTrue();
    }

    @Test
    void no_local_does_not_send_a_clients_own_messages_back() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn a = h.connected(V5, "a");
        CoreHarness.Conn b = h.connected(V5, "b");
        a.subscribe(TopicSubscription.of("nl", QoS.AT_MOST_ONCE).withNoLocal(true));
        b.subscribe(TopicSubscription.of("nl", QoS.AT_MOST_ONCE).withNoLocal(true));
        a.publish("nl", "from-a", QoS.AT_MOST_ONCE, false);
        assertThat(a.publishes()).isEmpty();
        assertThat(b.publishes()).extracting(p -> p.payload().toUtf8()).containsExactly("from-a");
        assertThat(h.enforced(V5, "MQTT-3.8.3-3")).isTrue();
    }

    @Test
    void subscription_identifier_is_sent_with_matching_messages() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn sub = h.connected(V5, "sub");
        sub.subscribe(Properties.builder().number(PropertyId.SUBSCRIPTION_IDENTIFIER, 7).build(),
                TopicSubscription.of("s/+", QoS.AT_MOST_ONCE));
        sub.subscribe(Properties.builder().number(PropertyId.SUBSCRIPTION_IDENTIFIER, 9).build(),
                TopicSubscription.of("s/#", QoS.AT_MOST_ONCE));
        sub.subscribe("s/plain", QoS.AT_MOST_ONCE);
        h.connected(V5, "pub").publish("s/plain", "x", QoS.AT_MOST_ONCE, false);
        Publish p = sub.expect(Publish.class);
        assertThat(p.properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER)).containsExactlyInAnyOrder(7L, 9L);
        assertThat(h.enforced(V5, "MQTT-3.3.4-3")).isTrue();
    }

    @Test
    void subscription_identifiers_unavailable_disconnects_0xa1() {
        BrokerConfig.Limits d = BrokerConfig.Limits.DEFAULTS;
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(new BrokerConfig.Limits(d.maximumPacketSize(),
                d.receiveMaximum(), d.topicAliasMaximum(), 2, true, true, false, true, null, d.maximumSessionExpiry(), 100)).build());
        CoreHarness.Conn c = h.connected(V5, "c");
        c.send(new dev.mqttharness.spec.packet.Subscribe(1, Properties.builder().number(PropertyId.SUBSCRIPTION_IDENTIFIER, 3).build(),
                List.of(TopicSubscription.of("a", QoS.AT_MOST_ONCE))));
        assertThat(c.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.SUBSCRIPTION_IDENTIFIERS_NOT_SUPPORTED.value());
    }

    @Test
    void wildcard_unavailable_v311_is_a_suback_failure() {
        BrokerConfig.Limits d = BrokerConfig.Limits.DEFAULTS;
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(new BrokerConfig.Limits(d.maximumPacketSize(),
                d.receiveMaximum(), d.topicAliasMaximum(), 2, true, false, true, true, null, d.maximumSessionExpiry(), 100)).build());
        CoreHarness.Conn c = h.connected(V3_1_1, "c");
        assertThat(c.subscribe("a/#", QoS.AT_MOST_ONCE).reasonCodes()).containsExactly(ReturnCode311.SUBACK_FAILURE);
    }

    @Test
    void shared_subscription_gives_each_message_to_exactly_one_member() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn m1 = h.connected(V5, "m1");
        CoreHarness.Conn m2 = h.connected(V5, "m2");
        CoreHarness.Conn plain = h.connected(V5, "plain");
        m1.subscribe("$share/g/sh/+", QoS.AT_LEAST_ONCE);
        m2.subscribe("$share/g/sh/+", QoS.AT_LEAST_ONCE);
        plain.subscribe("sh/+", QoS.AT_MOST_ONCE);
        CoreHarness.Conn pub = h.connected(V5, "pub");
        for (int i = 0; i < 6; i++) {
            pub.publish("sh/t", "m" + i, QoS.AT_LEAST_ONCE, false);
        }
        List<String> all = new ArrayList<>();
        List<Publish> one = m1.publishes();
        List<Publish> two = m2.publishes();
        one.forEach(p -> all.add(p.payload().toUtf8()));
        two.forEach(p -> all.add(p.payload().toUtf8()));
        assertThat(all).containsExactlyInAnyOrder("m0", "m1", "m2", "m3", "m4", "m5");
        assertThat(one).isNotEmpty();
        assertThat(two).isNotEmpty();
        assertThat(plain.publishes()).hasSize(6);
        assertThat(h.enforced(V5, "MQTT-4.8.2-3")).isTrue();
    }

    @Test
    void shared_subscription_gets_no_retained_messages() {
        CoreHarness h = new CoreHarness();
        h.connected(V5, "pub").publish("sh/r", "x", QoS.AT_MOST_ONCE, true);
        CoreHarness.Conn m = h.connected(V5, "m");
        m.subscribe("$share/g/sh/r", QoS.AT_MOST_ONCE);
        assertThat(m.publishes()).isEmpty();
    }

    @Test
    void shared_subscription_unavailable_disconnects_0x9e() {
        BrokerConfig.Limits d = BrokerConfig.Limits.DEFAULTS;
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(new BrokerConfig.Limits(d.maximumPacketSize(),
                d.receiveMaximum(), d.topicAliasMaximum(), 2, true, true, true, false, null, d.maximumSessionExpiry(), 100)).build());
        CoreHarness.Conn c = h.connected(V5, "c");
        c.send(dev.mqttharness.spec.packet.Subscribe.of(1, "$share/g/a", QoS.AT_MOST_ONCE));
        assertThat(c.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED.value());
    }

    @Test
    void unsubscribed_shared_member_gets_nothing_more() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn m1 = h.connected(V5, "m1");
        CoreHarness.Conn m2 = h.connected(V5, "m2");
        m1.subscribe("$share/g/u", QoS.AT_MOST_ONCE);
        m2.subscribe("$share/g/u", QoS.AT_MOST_ONCE);
        m1.unsubscribe("$share/g/u");
        CoreHarness.Conn pub = h.connected(V5, "pub");
        for (int i = 0; i < 4; i++) {
            pub.publish("u", "m" + i, QoS.AT_MOST_ONCE, false);
        }
        assertThat(m1.publishes()).isEmpty();
        assertThat(m2.publishes()).hasSize(4);
    }
}
