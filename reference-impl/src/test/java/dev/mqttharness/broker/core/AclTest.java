package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.BrokerConfig.AclRule;
import dev.mqttharness.broker.BrokerConfig.AclRule.Access;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.ReturnCode311;
import dev.mqttharness.spec.packet.TopicSubscription;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Access control ({@link BrokerConfig.AclRule}): refused publishes and subscriptions, per version. */
class AclTest {
    private final CoreHarness h = new CoreHarness(BrokerConfig.builder().user("admin", "pw").acl(List.of(
            new AclRule("admin", Access.BOTH, "#", true),
            new AclRule("*", Access.PUBLISH, "secret/#", false),
            new AclRule("*", Access.SUBSCRIBE, "test/nosubscribe", false))).build());

    @Test
    void refused_qos1_publish_v5_gets_puback_0x87_and_is_not_delivered() {
        CoreHarness.Conn admin = h.connected(V5, dev.mqttharness.spec.packet.Connect.builder(V5).clientId("adm")
                .username("admin").password("pw").build());
        admin.subscribe("secret/#", QoS.AT_LEAST_ONCE);
        CoreHarness.Conn c = h.connected(V5, "c");
        c.send(Publish.of("secret/x", "no", QoS.AT_LEAST_ONCE, 4, false));
        Puback ack = c.expect(Puback.class);
        assertThat(ack.packetId()).isEqualTo(4);
        assertThat(ack.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED.value());
        assertThat(admin.publishes()).isEmpty();
    }

    @Test
    void refused_qos1_publish_v311_is_acknowledged_but_not_delivered() {
        CoreHarness.Conn watcher = h.connected(V3_1_1, dev.mqttharness.spec.packet.Connect.builder(V3_1_1).clientId("adm")
                .username("admin").password("pw").build());
        watcher.subscribe("secret/#", QoS.AT_LEAST_ONCE);
        CoreHarness.Conn c = h.connected(V3_1_1, "c");
        c.send(Publish.of("secret/x", "no", QoS.AT_LEAST_ONCE, 4, false));
        assertThat(c.expect(Puback.class).reasonCode()).isZero();
        c.publish("secret/y", "no", QoS.AT_MOST_ONCE, false);
        assertThat(watcher.publishes()).isEmpty();
        assertThat(c.isClosed()).isFalse();
    }

    @Test
    void user_allowed_by_an_earlier_rule_may_publish() {
        CoreHarness.Conn admin = h.connected(V5, dev.mqttharness.spec.packet.Connect.builder(V5).clientId("adm")
                .username("admin").password("pw").build());
        admin.subscribe("secret/#", QoS.AT_MOST_ONCE);
        admin.publish("secret/x", "yes", QoS.AT_LEAST_ONCE, false);
        assertThat(admin.publishes()).hasSize(1);
    }

    @Test
    void refused_subscription_gets_suback_failure_per_version() {
        CoreHarness.Conn v5 = h.connected(V5, "five");
        assertThat(v5.subscribe(TopicSubscription.of("test/nosubscribe", QoS.AT_LEAST_ONCE),
                TopicSubscription.of("ok", QoS.AT_LEAST_ONCE)).reasonCodes())
                .containsExactly(ReasonCode.NOT_AUTHORIZED.value(), 1);
        CoreHarness.Conn v311 = h.connected(V3_1_1, "three");
        assertThat(v311.subscribe("test/nosubscribe", QoS.EXACTLY_ONCE).reasonCodes())
                .containsExactly(ReturnCode311.SUBACK_FAILURE);
    }

    @Test
    void refused_retained_publish_does_not_change_the_retained_message() {
        CoreHarness.Conn c = h.connected(V5, "c");
        c.send(Publish.of("secret/r", "no", QoS.AT_MOST_ONCE, 0, true));
        CoreHarness.Conn admin = h.connected(V5, dev.mqttharness.spec.packet.Connect.builder(V5).clientId("adm")
                .username("admin").password("pw").build());
        admin.subscribe("secret/#", QoS.AT_MOST_ONCE);
        assertThat(admin.publishes()).isEmpty();
    }
}
