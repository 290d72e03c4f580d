package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import org.junit.jupiter.api.Test;

/** Message Expiry (§3.3.2.3.3) and Session Expiry (§3.1.2.11.2, §4.1) on the virtual clock. */
class ExpiryTest {

    private static Connect persistent(String id, long expiry) {
        return Connect.builder(V5).clientId(id).cleanStart(false)
                .property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, expiry)).build();
    }

    private static Publish expiring(String topic, String payload, long seconds, boolean retain) {
        return Publish.of(topic, payload, QoS.AT_LEAST_ONCE, 0, retain)
                .withProperties(Properties.of(Property.number(PropertyId.MESSAGE_EXPIRY_INTERVAL, seconds)));
    }

    @Test
    void message_expiry_interval_is_forwarded_counted_down() {
        CoreHarness h = new CoreHarness();
        Connect sub = persistent("sub", 300);
        h.connected(V5, sub).subscribe("e", QoS.AT_LEAST_ONCE);
        h.conns("sub").disconnect();
        h.connected(V5, "pub").publish(expiring("e", "x", 10, false));
        h.advance(4_000);
        CoreHarness.Conn again = h.open(V5, "sub2");
        again.connect(sub);
        Publish p = again.expect(Publish.class);
        assertThat(p.properties().number(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1)).isEqualTo(6);
        assertThat(h.enforced(V5, "MQTT-3.3.2-6")).isTrue();
    }

    @Test
    void expired_queued_message_is_not_delivered() {
        CoreHarness h = new CoreHarness();
        Connect sub = persistent("sub", 300);
        h.connected(V5, sub).subscribe("e", QoS.AT_LEAST_ONCE);
        h.conns("sub").disconnect();
        CoreHarness.Conn pub = h.connected(V5, "pub");
        pub.publish(expiring("e", "old", 2, false));
        pub.publish(Publish.of("e", "fresh", QoS.AT_LEAST_ONCE, 0, false));
        h.advance(2_000);
        CoreHarness.Conn again = h.open(V5, "sub2");
        again.connect(sub);
        assertThat(again.publishes()).extracting(p -> p.payload().toUtf8()).containsExactly("fresh");
        assertThat(h.enforced(V5, "MQTT-3.3.2-5")).isTrue();
    }

    @Test
    void expired_retained_message_is_not_sent_to_new_subscriptions() {
        CoreHarness h = new CoreHarness();
        h.connected(V5, "pub").publish(expiring("er", "x", 5, true));
        h.advance(4_999);
        CoreHarness.Conn early = h.connected(V5, "early");
        early.subscribe("er", QoS.AT_MOST_ONCE);
        assertThat(early.expect(Publish.class).properties().number(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1)).isEqualTo(1);
        h.advance(1);
        CoreHarness.Conn late = h.connected(V5, "late");
        late.subscribe("er", QoS.AT_MOST_ONCE);
        assertThat(late.publishes()).isEmpty();
    }

    @Test
    void session_is_kept_for_its_expiry_interval_and_ends_after_it() {
        CoreHarness h = new CoreHarness();
        Connect c = persistent("s", 10);
        h.connected(V5, c).disconnect();
        h.advance(9_999);
        assertThat(h.core.sessionCount()).isEqualTo(1);
        h.advance(1);
        assertThat(h.core.sessionCount()).isZero();
        assertThat(h.enforced(V5, "MQTT-4.1.0-2")).isTrue();
        assertThat(h.open(V5, "again").connect(c).sessionPresent()).isFalse();
    }

    @Test
    void session_resumed_within_its_expiry_interval_is_present() {
        CoreHarness h = new CoreHarness();
        Connect c = persistent("s", 10);
        h.connected(V5, c).disconnect();
        h.advance(9_000);
        assertThat(h.open(V5, "again").connect(c).sessionPresent()).isTrue();
    }

    @Test
    void session_expiry_ffffffff_never_expires() {
        CoreHarness h = new CoreHarness();
        Connect c = persistent("s", 0xFFFF_FFFFL);
        h.connected(V5, c).lose();
        h.advance(10L * 365 * 24 * 3600 * 1000);
        assertThat(h.open(V5, "again").connect(c).sessionPresent()).isTrue();
    }

    @Test
    void disconnect_can_shorten_the_session_expiry_interval() {
        CoreHarness h = new CoreHarness();
        Connect c = persistent("s", 100);
        h.connected(V5, c).disconnect(0, Properties.of(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 0)));
        assertThat(h.core.sessionCount()).isZero();
    }

    @Test
    void disconnect_raising_a_zero_session_expiry_interval_is_a_protocol_error() {
        CoreHarness h = new CoreHarness();
        CoreHarness.Conn c = h.connected(V5, "s");
        c.disconnect(0, Properties.of(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 30)));
        assertThat(c.expect(Disconnect.class).reasonCode()).isEqualTo(ReasonCode.PROTOCOL_ERROR.value());
        assertThat(c.isClosed()).isTrue();
    }

    @Test
    void session_expiry_above_the_brokers_maximum_is_capped_and_announced() {
        BrokerConfig.Limits d = BrokerConfig.Limits.DEFAULTS;
        CoreHarness h = new CoreHarness(BrokerConfig.builder().limits(new BrokerConfig.Limits(d.maximumPacketSize(),
                d.receiveMaximum(), d.topicAliasMaximum(), 2, true, true, true, true, null, 60, 100)).build());
        Connack ack = h.open(V5, "s").connect(persistent("s", 1000));
        assertThat(ack.properties().number(PropertyId.SESSION_EXPIRY_INTERVAL, -1)).isEqualTo(60);
        h.conns("s").lose();
        h.advance(60_000);
        assertThat(h.core.sessionCount()).isZero();
    }

    @Test
    void next_deadline_reports_the_earliest_expiry() {
        CoreHarness h = new CoreHarness();
        h.connected(V5, persistent("s", 10)).lose();
        assertThat(h.core.nextDeadline()).isEqualTo(h.now + 10_000);
    }
}
