package dev.mqttharness.broker.core;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.auth.Scram;
import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.fault.Fault;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.packet.Will;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every fault switch changes the behaviour it names: for each {@link Fault}, a conversation that
 * checks the rule the fault breaks; the rule holds with the fault off and is broken with it on.
 * A fault added without a conversation here fails the build.
 */
class FaultSwitchTest {

    /** Runs a conversation on a broker built from {@code cfg} (the fault already set or not); true if the rule held. */
    @FunctionalInterface
    interface Rule {
        boolean holds(BrokerConfig.Builder cfg);
    }

    private static final Map<Fault, Rule> RULES = new EnumMap<>(Fault.class);

    @ParameterizedTest
    @EnumSource(Fault.class)
    void fault_switch_breaks_the_rule_it_names(Fault fault) {
        Rule rule = RULES.get(fault);
        assertThat(rule).as("a conversation for fault %s", fault).isNotNull();
        assertThat(rule.holds(BrokerConfig.builder())).as("the rule holds with %s off", fault).isTrue();
        assertThat(rule.holds(BrokerConfig.builder().fault(fault.id()))).as("%s breaks the rule: %s", fault, fault.mistake())
                .isFalse();
    }

    // ---------------------------------------------------------------- helpers

    private static CoreHarness h(BrokerConfig.Builder cfg) {
        return new CoreHarness(cfg.build());
    }

    private static boolean any(List<Packet> ps, Class<? extends Packet> type) {
        return ps.stream().anyMatch(type::isInstance);
    }

    private static Connect persistent(MqttVersion v, String id) {
        return PublishQosTest.persistent(v, id);
    }

    private static CoreHarness.Conn watcher(CoreHarness h, MqttVersion v, String filter) {
        CoreHarness.Conn w = h.connected(v, "watcher");
        w.subscribe(filter, QoS.AT_LEAST_ONCE);
        return w;
    }

    private static BrokerConfig.Limits limits(int receiveMax, Integer serverKeepAlive) {
        BrokerConfig.Limits d = BrokerConfig.Limits.DEFAULTS;
        return new BrokerConfig.Limits(d.maximumPacketSize(), receiveMax, d.topicAliasMaximum(), 2, true, true, true, true,
                serverKeepAlive, d.maximumSessionExpiry(), 100);
    }

    /** Publishes with QoS 0 from a fresh client (no acknowledgement to go wrong). */
    private static void publish0(CoreHarness h, MqttVersion v, String topic, String payload, boolean retain) {
        h.connected(v, "p" + h.now + topic.hashCode() + payload).send(Publish.of(topic, payload, QoS.AT_MOST_ONCE, 0, retain));
    }

    /** The PUBLISHes a fresh subscription to {@code filter} receives at once (retained ones). */
    private static List<Publish> lateSubscriber(CoreHarness h, MqttVersion v, String filter) {
        CoreHarness.Conn late = h.connected(v, "late");
        late.subscribe(filter, QoS.AT_LEAST_ONCE);
        return late.publishes();
    }

    private static Will will(String topic, boolean retain) {
        return Will.of(topic, "bye", QoS.AT_MOST_ONCE, retain);
    }

    static {
        // -- connect and session
        RULES.put(Fault.SECOND_CONNECT_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn c = h.connected(V3_1_1, "c");
            c.send(Connect.builder(V3_1_1).clientId("c").build());
            return c.isClosed();
        });
        RULES.put(Fault.BAD_PROTOCOL_LEVEL_CLOSED_SILENTLY, cfg -> {
            CoreHarness.Conn c = h(cfg).open(V3_1_1, "c");
            c.sendBytes(RawPacket.withBodyByte(MqttEncoder.encode(Connect.builder(V3_1_1).clientId("c").build(), V3_1_1), 6, 2));
            return any(c.take(), Connack.class);
        });
        RULES.put(Fault.CLEAN_START_KEEPS_SESSION, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn a = h.connected(V3_1_1, persistent(V3_1_1, "s"));
            a.subscribe("t", QoS.AT_MOST_ONCE);
            a.disconnect();
            CoreHarness.Conn b = h.open(V3_1_1, "s2");
            boolean present = b.connect(Connect.builder(V3_1_1).clientId("s").cleanStart(true).build()).sessionPresent();
            publish0(h, V3_1_1, "t", "x", false);
            return !present && b.publishes().isEmpty();
        });
        RULES.put(Fault.SESSION_NOT_RESUMED, cfg -> {
            CoreHarness h = h(cfg);
            h.connected(V5, persistent(V5, "s")).disconnect();
            return h.open(V5, "s2").connect(persistent(V5, "s")).sessionPresent();
        });
        RULES.put(Fault.SESSION_PRESENT_ON_CLEAN_START, cfg ->
                !h(cfg).open(V3_1_1, "c").connect(Connect.builder(V3_1_1).clientId("c").build()).sessionPresent());
        RULES.put(Fault.SESSION_PRESENT_ON_REJECT, cfg -> {
            CoreHarness.Conn c = h(cfg.user("u", "p")).open(V3_1_1, "c");
            Connack ack = c.connect(Connect.builder(V3_1_1).clientId("c").username("u").password("bad").build());
            return ack.reasonCode() != 0 && !ack.sessionPresent();
        });
        RULES.put(Fault.REJECT_WITHOUT_CLOSE, cfg -> {
            CoreHarness.Conn c = h(cfg.user("u", "p")).open(V5, "c");
            c.connect(Connect.builder(V5).clientId("c").username("u").password("bad").build());
            return c.isClosed();
        });
        RULES.put(Fault.EMPTY_CLIENT_ID_WITHOUT_CLEAN_ACCEPTED, cfg ->
                h(cfg).open(V3_1_1, "c").connect(Connect.builder(V3_1_1).clientId("").cleanStart(false).build()).reasonCode() == 2);
        RULES.put(Fault.ASSIGNED_CLIENT_ID_MISSING, cfg ->
                h(cfg).open(V5, "c").connect(Connect.builder(V5).clientId("").build()).properties()
                        .has(PropertyId.ASSIGNED_CLIENT_IDENTIFIER));
        RULES.put(Fault.TAKEOVER_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn first = h.connected(V3_1_1, "dup");
            h.connected(V3_1_1, "dup");
            return first.isClosed();
        });
        RULES.put(Fault.KEEP_ALIVE_NOT_ENFORCED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn c = h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("k").keepAlive(1).build());
            h.advance(1_501);
            return c.isClosed();
        });
        RULES.put(Fault.RESPONSE_INFORMATION_UNASKED, cfg ->
                !h(cfg).open(V5, "c").connect(Connect.builder(V5).clientId("c").build()).properties()
                        .has(PropertyId.RESPONSE_INFORMATION));
        RULES.put(Fault.SESSION_EXPIRY_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            h.connected(V5, Connect.builder(V5).clientId("s").property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 1))
                    .build()).disconnect();
            h.advance(1_000);
            return h.core.sessionCount() == 0;
        });
        RULES.put(Fault.SERVER_KEEP_ALIVE_NOT_USED, cfg -> {
            CoreHarness h = h(cfg.limits(limits(65_535, 2)));
            CoreHarness.Conn c = h.connected(V5, Connect.builder(V5).clientId("k").keepAlive(100).build());
            h.advance(3_001);
            return c.isClosed();
        });

        // -- will
        RULES.put(Fault.WILL_ON_NORMAL_DISCONNECT, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V3_1_1, "will/#");
            h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("c").will(will("will/a", false)).build()).disconnect();
            return w.publishes().isEmpty();
        });
        RULES.put(Fault.WILL_NOT_PUBLISHED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V3_1_1, "will/#");
            h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("c").will(will("will/a", false)).build()).lose();
            return w.publishes().size() == 1;
        });
        RULES.put(Fault.WILL_RETAIN_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("c").will(will("will/r", true)).build()).lose();
            return lateSubscriber(h, V3_1_1, "will/r").size() == 1;
        });
        RULES.put(Fault.WILL_RETAINED_WITHOUT_FLAG, cfg -> {
            CoreHarness h = h(cfg);
            h.connected(V3_1_1, Connect.builder(V3_1_1).clientId("c").will(will("will/r", false)).build()).lose();
            return lateSubscriber(h, V3_1_1, "will/r").isEmpty();
        });
        RULES.put(Fault.WILL_DELAY_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V5, "will/#");
            h.connected(V5, Connect.builder(V5).clientId("c").property(Property.number(PropertyId.SESSION_EXPIRY_INTERVAL, 60))
                    .will(will("will/d", false).withProperties(Properties.of(Property.number(PropertyId.WILL_DELAY_INTERVAL, 5))))
                    .build()).lose();
            return w.publishes().isEmpty();
        });

        // -- publish, retain, QoS
        RULES.put(Fault.RETAIN_NOT_STORED, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V3_1_1, "r", "kept", true);
            return lateSubscriber(h, V3_1_1, "r").size() == 1;
        });
        RULES.put(Fault.RETAINED_EMPTY_NOT_CLEARED, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V3_1_1, "r", "kept", true);
            publish0(h, V3_1_1, "r", "", true);
            return lateSubscriber(h, V3_1_1, "r").isEmpty();
        });
        RULES.put(Fault.RETAIN_0_REPLACES_RETAINED, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V3_1_1, "r", "kept", true);
            publish0(h, V3_1_1, "r", "live", false);
            List<Publish> got = lateSubscriber(h, V3_1_1, "r");
            return got.size() == 1 && got.get(0).payload().toUtf8().equals("kept");
        });
        RULES.put(Fault.RETAINED_NOT_SENT_ON_SUBSCRIBE, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V5, "r", "kept", true);
            return lateSubscriber(h, V5, "r").size() == 1;
        });
        RULES.put(Fault.RETAINED_SENT_WITHOUT_RETAIN_FLAG, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V3_1_1, "r", "kept", true);
            return lateSubscriber(h, V3_1_1, "r").get(0).retain();
        });
        RULES.put(Fault.RETAIN_FLAG_KEPT_ON_FORWARD, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V3_1_1, "r");
            publish0(h, V3_1_1, "r", "x", true);
            return !w.publishes().get(0).retain();
        });
        RULES.put(Fault.RETAIN_AS_PUBLISHED_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, "s");
            s.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainAsPublished(true));
            publish0(h, V5, "r", "x", true);
            return s.publishes().get(0).retain();
        });
        RULES.put(Fault.RETAIN_HANDLING_2_SENDS, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V5, "r", "x", true);
            CoreHarness.Conn s = h.connected(V5, "s");
            s.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainHandling(2));
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.RETAIN_HANDLING_1_RESENDS, cfg -> {
            CoreHarness h = h(cfg);
            publish0(h, V5, "r", "x", true);
            CoreHarness.Conn s = h.connected(V5, "s");
            s.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainHandling(1));
            s.subscribe(TopicSubscription.of("r", QoS.AT_MOST_ONCE).withRetainHandling(1));
            return s.publishes().size() == 1;
        });
        RULES.put(Fault.DUP_PROPAGATED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V3_1_1, "d");
            h.connected(V3_1_1, "p").send(Publish.of("d", "x", QoS.AT_LEAST_ONCE, 1, false).withDup(true));
            return !w.publishes().get(0).dup();
        });
        RULES.put(Fault.QOS_NOT_DOWNGRADED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("q", QoS.AT_MOST_ONCE);
            h.connected(V3_1_1, "p").send(Publish.of("q", "x", QoS.AT_LEAST_ONCE, 1, false));
            return s.publishes().get(0).qos() == QoS.AT_MOST_ONCE;
        });
        RULES.put(Fault.PUBACK_MISSING, cfg -> {
            CoreHarness.Conn p = h(cfg).connected(V3_1_1, "p");
            p.send(Publish.of("q", "x", QoS.AT_LEAST_ONCE, 1, false));
            return any(p.take(), Puback.class);
        });
        RULES.put(Fault.PUBREC_MISSING, cfg -> {
            CoreHarness.Conn p = h(cfg).connected(V5, "p");
            p.send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false));
            return any(p.take(), Pubrec.class);
        });
        RULES.put(Fault.QOS2_DUPLICATE_DELIVERED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V5, "q");
            CoreHarness.Conn p = h.connected(V5, "p");
            p.send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false));
            p.send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false).withDup(true));
            return w.publishes().size() == 1;
        });
        RULES.put(Fault.PUBCOMP_MISSING, cfg -> {
            CoreHarness.Conn p = h(cfg).connected(V5, "p");
            p.send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false));
            p.send(new Pubrel(1));
            return any(p.take(), Pubcomp.class);
        });
        RULES.put(Fault.PUBREL_MISSING, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("q", QoS.EXACTLY_ONCE);
            h.connected(V3_1_1, "p").send(Publish.of("q", "x", QoS.EXACTLY_ONCE, 1, false));
            s.send(new Pubrec(s.expect(Publish.class).packetId()));
            return any(s.take(), Pubrel.class);
        });
        RULES.put(Fault.PACKET_ID_REUSED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn w = watcher(h, V3_1_1, "q");
            CoreHarness.Conn p = h.connected(V3_1_1, "p");
            p.send(Publish.of("q", "1", QoS.AT_LEAST_ONCE, 1, false));
            p.send(Publish.of("q", "2", QoS.AT_LEAST_ONCE, 2, false));
            List<Publish> got = w.publishes();
            return got.size() == 2 && got.get(0).packetId() != got.get(1).packetId();
        });
        RULES.put(Fault.NO_RETRANSMIT_ON_RESUME, cfg -> resentOnResume(cfg, false));
        RULES.put(Fault.RETRANSMIT_WITHOUT_DUP, cfg -> resentOnResume(cfg, true));
        RULES.put(Fault.OFFLINE_MESSAGES_DROPPED, cfg -> offlineQueue(cfg).size() == 3);
        RULES.put(Fault.ORDER_NOT_KEPT, cfg -> offlineQueue(cfg).stream().map(p -> p.payload().toUtf8()).toList()
                .equals(List.of("m0", "m1", "m2")));
        RULES.put(Fault.RECEIVE_MAXIMUM_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, Connect.builder(V5).clientId("s")
                    .property(Property.number(PropertyId.RECEIVE_MAXIMUM, 1)).build());
            s.subscribe("q", QoS.AT_LEAST_ONCE);
            CoreHarness.Conn p = h.connected(V5, "p");
            for (int i = 1; i <= 3; i++) {
                p.send(Publish.of("q", "m" + i, QoS.AT_LEAST_ONCE, i, false));
            }
            return s.publishes().size() == 1;
        });
        RULES.put(Fault.OVERSIZED_PACKET_SENT, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, Connect.builder(V5).clientId("s")
                    .property(Property.number(PropertyId.MAXIMUM_PACKET_SIZE, 64)).build());
            s.subscribe("q", QoS.AT_MOST_ONCE);
            publish0(h, V5, "q", "x".repeat(100), false);
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.TOPIC_ALIAS_UNASKED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, "s");
            s.subscribe("q", QoS.AT_MOST_ONCE);
            publish0(h, V5, "q", "x", false);
            return !s.publishes().get(0).properties().has(PropertyId.TOPIC_ALIAS);
        });
        RULES.put(Fault.MESSAGE_EXPIRY_NOT_DECREMENTED, cfg -> {
            List<Publish> got = expiringQueue(cfg, 10, 4_000);
            return got.size() == 1 && got.get(0).properties().number(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1) == 6;
        });
        RULES.put(Fault.EXPIRED_MESSAGE_DELIVERED, cfg -> expiringQueue(cfg, 2, 2_000).isEmpty());
        for (Fault f : new Fault[] {Fault.USER_PROPERTIES_REORDERED, Fault.USER_PROPERTIES_DROPPED, Fault.PAYLOAD_FORMAT_DROPPED,
                Fault.CONTENT_TYPE_DROPPED, Fault.RESPONSE_TOPIC_DROPPED, Fault.CORRELATION_DATA_DROPPED}) {
            RULES.put(f, FaultSwitchTest::propertiesForwardedUnaltered);
        }
        RULES.put(Fault.PROBLEM_INFORMATION_IGNORED, cfg -> {
            CoreHarness h = h(cfg.acl(List.of(new BrokerConfig.AclRule("*", BrokerConfig.AclRule.Access.PUBLISH, "no", false))));
            CoreHarness.Conn p = h.connected(V5, Connect.builder(V5).clientId("p")
                    .property(Property.number(PropertyId.REQUEST_PROBLEM_INFORMATION, 0)).build());
            p.send(Publish.of("no", "x", QoS.AT_LEAST_ONCE, 1, false));
            Puback ack = p.expect(Puback.class);
            return ack.reasonCode() == ReasonCode.NOT_AUTHORIZED.value() && !ack.properties().has(PropertyId.REASON_STRING);
        });

        // -- subscribe, unsubscribe
        RULES.put(Fault.SUBACK_WRONG_PACKET_ID, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V3_1_1, "c");
            c.send(Subscribe.of(5, "a", QoS.AT_MOST_ONCE));
            return c.expect(Suback.class).packetId() == 5;
        });
        RULES.put(Fault.SUBSCRIPTION_NOT_REPLACED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            // replaced, the second subscription's QoS 0 applies; kept beside it, the first one's QoS 2 wins
            s.subscribe("a", QoS.EXACTLY_ONCE);
            s.subscribe("a", QoS.AT_MOST_ONCE);
            h.connected(V3_1_1, "p").send(Publish.of("a", "x", QoS.EXACTLY_ONCE, 1, false));
            List<Publish> got = s.publishes();
            return got.size() == 1 && got.get(0).qos() == QoS.AT_MOST_ONCE;
        });
        RULES.put(Fault.UNSUBACK_MISSING_WHEN_NONE, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V3_1_1, "c");
            c.send(Unsubscribe.of(3, "none"));
            return any(c.take(), Unsuback.class);
        });
        RULES.put(Fault.UNSUBSCRIBE_IGNORED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("a", QoS.AT_MOST_ONCE);
            s.unsubscribe("a");
            publish0(h, V3_1_1, "a", "x", false);
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.NO_LOCAL_IGNORED, cfg -> {
            CoreHarness.Conn s = h(cfg).connected(V5, "s");
            s.subscribe(TopicSubscription.of("a", QoS.AT_MOST_ONCE).withNoLocal(true));
            s.send(Publish.qos0("a", "mine"));
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.DOLLAR_TOPIC_MATCHED_BY_WILDCARD, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V3_1_1, "s");
            s.subscribe("#", QoS.AT_MOST_ONCE);
            publish0(h, V3_1_1, "$SYS/x", "x", false);
            return s.publishes().isEmpty();
        });
        RULES.put(Fault.SUBSCRIPTION_IDENTIFIER_DROPPED, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn s = h.connected(V5, "s");
            s.subscribe(Properties.of(Property.number(PropertyId.SUBSCRIPTION_IDENTIFIER, 7)), TopicSubscription.of("a", QoS.AT_MOST_ONCE));
            publish0(h, V5, "a", "x", false);
            return s.publishes().get(0).properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER).equals(List.of(7L));
        });
        RULES.put(Fault.PINGRESP_MISSING, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V3_1_1, "c");
            c.ping();
            return any(c.take(), Pingresp.class);
        });

        // -- errors
        RULES.put(Fault.MALFORMED_NOT_CLOSED, cfg -> {
            CoreHarness.Conn c = h(cfg).connected(V3_1_1, "c");
            c.sendBytes(RawPacket.withFlags(MqttEncoder.encode(Publish.qos0("t", "x"), V3_1_1), 0b0110));
            return c.isClosed();
        });
        RULES.put(Fault.DISCONNECT_WITH_SESSION_EXPIRY, cfg -> {
            CoreHarness h = h(cfg);
            CoreHarness.Conn c = h.connected(V5, Connect.builder(V5).clientId("k").keepAlive(1).build());
            h.advance(1_501);
            return !c.expect(Disconnect.class).properties().has(PropertyId.SESSION_EXPIRY_INTERVAL);
        });
        RULES.put(Fault.AUTH_METHOD_NOT_ECHOED, cfg -> {
            CoreHarness h = h(cfg.user("alice", "secret"));
            Scram.Client client = new Scram.Client("alice", "secret", new Random(3));
            CoreHarness.Conn c = h.open(V5, "a");
            c.send(Connect.builder(V5).clientId("a").properties(Properties.builder()
                    .string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD)
                    .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(client.clientFirst())).build()).build());
            byte[] fin = client.clientFinal(c.expect(Auth.class).properties().binary(PropertyId.AUTHENTICATION_DATA).toByteArray());
            c.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION.value(), Properties.builder()
                    .string(PropertyId.AUTHENTICATION_METHOD, Scram.METHOD)
                    .binary(PropertyId.AUTHENTICATION_DATA, BinaryData.wrap(fin)).build()));
            return c.expect(Connack.class).properties().has(PropertyId.AUTHENTICATION_METHOD);
        });
    }

    /** A persistent subscriber leaves a QoS 1 message unacknowledged, drops, resumes: is it re-sent (with DUP)? */
    private static boolean resentOnResume(BrokerConfig.Builder cfg, boolean checkDup) {
        CoreHarness h = h(cfg);
        CoreHarness.Conn s = h.connected(V3_1_1, persistent(V3_1_1, "s"));
        s.subscribe("q", QoS.AT_LEAST_ONCE);
        h.connected(V3_1_1, "p").send(Publish.of("q", "x", QoS.AT_LEAST_ONCE, 1, false));
        s.expect(Publish.class);
        s.lose();
        CoreHarness.Conn again = h.open(V3_1_1, "s2");
        again.connect(persistent(V3_1_1, "s"));
        List<Publish> got = again.publishes();
        return got.size() == 1 && (!checkDup || got.get(0).dup());
    }

    /** Three QoS 1 messages published while a persistent subscriber is away, as it receives them on resume. */
    private static List<Publish> offlineQueue(BrokerConfig.Builder cfg) {
        CoreHarness h = h(cfg);
        CoreHarness.Conn s = h.connected(V3_1_1, persistent(V3_1_1, "s"));
        s.subscribe("q", QoS.AT_LEAST_ONCE);
        s.disconnect();
        CoreHarness.Conn p = h.connected(V3_1_1, "p");
        for (int i = 0; i < 3; i++) {
            p.send(Publish.of("q", "m" + i, QoS.AT_LEAST_ONCE, i + 1, false));
        }
        CoreHarness.Conn again = h.open(V3_1_1, "s2");
        again.connect(persistent(V3_1_1, "s"));
        return again.publishes();
    }

    /** A message with Message Expiry {@code seconds} queued for an absent subscriber who resumes after {@code ms}. */
    private static List<Publish> expiringQueue(BrokerConfig.Builder cfg, long seconds, long ms) {
        CoreHarness h = h(cfg);
        CoreHarness.Conn s = h.connected(V5, persistent(V5, "s"));
        s.subscribe("q", QoS.AT_LEAST_ONCE);
        s.disconnect();
        h.connected(V5, "p").send(Publish.of("q", "x", QoS.AT_LEAST_ONCE, 1, false)
                .withProperties(Properties.of(Property.number(PropertyId.MESSAGE_EXPIRY_INTERVAL, seconds))));
        h.advance(ms);
        CoreHarness.Conn again = h.open(V5, "s2");
        again.connect(persistent(V5, "s"));
        return again.publishes();
    }

    /** Message properties arrive as sent: same values, User Properties in the same order (MQTT-3.3.2-17, -18). */
    private static boolean propertiesForwardedUnaltered(BrokerConfig.Builder cfg) {
        CoreHarness h = h(cfg);
        CoreHarness.Conn s = h.connected(V5, "s");
        s.subscribe("q", QoS.AT_MOST_ONCE);
        Properties sent = Properties.builder()
                .number(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .string(PropertyId.CONTENT_TYPE, "text/plain")
                .string(PropertyId.RESPONSE_TOPIC, "reply/here")
                .binary(PropertyId.CORRELATION_DATA, BinaryData.of("corr"))
                .userProperty("a", "1")
                .userProperty("b", "2")
                .build();
        h.connected(V5, "p").send(Publish.qos0("q", "x").withProperties(sent));
        return s.publishes().get(0).properties().equals(sent);
    }
}
