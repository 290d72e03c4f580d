package dev.mqttharness.client;

import static dev.mqttharness.spec.MqttVersion.V3_1_1;
import static dev.mqttharness.spec.MqttVersion.V5;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicName;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The reference client's own rules, watched on the wire against a broker the test plays. */
class ReferenceClientTest {
    private ScriptedBroker broker;
    private ReferenceClient client;

    @BeforeEach
    void start() throws Exception {
        broker = new ScriptedBroker();
    }

    @AfterEach
    void stop() throws Exception {
        if (client != null) {
            client.dropConnection();
        }
        broker.close();
    }

    /** Connects the client while the scripted broker answers CONNECT with {@code ack}. */
    private Connect connect(ReferenceClient.Options options, Connack ack) throws Exception {
        client = client == null ? ReferenceClient.create(broker.endpoint(), options) : client;
        return connectAgain(options.cleanStart(), options.version(), ack);
    }

    /** Connects the client again while the scripted broker answers its CONNECT with {@code ack}. */
    private Connect connectAgain(boolean cleanStart, MqttVersion v, Connack ack) throws Exception {
        CompletableFuture<Connack> f = CompletableFuture.supplyAsync(() -> {
            try {
                return client.connect(cleanStart);
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        Connect c = broker.acceptConnect(v, client.clientId());
        broker.send(ack);
        f.get(5, TimeUnit.SECONDS);
        return c;
    }

    private static Connack connack(Properties props) {
        return new Connack(false, 0, props);
    }

    @Test
    void connect_carries_the_options_as_connect_fields_and_properties() throws Exception {
        Connect c = connect(ReferenceClient.options().clientId("opts").keepAlive(30).sessionExpiry(120).receiveMaximum(7)
                .maximumPacketSize(4096).topicAliasMaximum(3).credentials("u", "p").build(), connack(Properties.EMPTY));
        assertThat(c.clientId().toString()).isEqualTo("opts");
        assertThat(c.keepAlive()).isEqualTo(30);
        assertThat(c.cleanStart()).isTrue();
        assertThat(c.username().toString()).isEqualTo("u");
        assertThat(c.password().toUtf8()).isEqualTo("p");
        assertThat(c.properties().number(PropertyId.SESSION_EXPIRY_INTERVAL, -1)).isEqualTo(120);
        assertThat(c.properties().number(PropertyId.RECEIVE_MAXIMUM, -1)).isEqualTo(7);
        assertThat(c.properties().number(PropertyId.MAXIMUM_PACKET_SIZE, -1)).isEqualTo(4096);
        assertThat(c.properties().number(PropertyId.TOPIC_ALIAS_MAXIMUM, -1)).isEqualTo(3);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void assigned_client_identifier_is_adopted() throws Exception {
        connect(ReferenceClient.options().build(), connack(Properties.builder()
                .string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, "given-1").build()));
        assertThat(client.clientId()).isEqualTo("given-1");
    }

    @Test
    void refused_connect_throws_with_the_connack() throws Exception {
        client = ReferenceClient.create(broker.endpoint(), ReferenceClient.options().clientId("no").build());
        CompletableFuture<Throwable> f = CompletableFuture.supplyAsync(() -> {
            try {
                client.connect();
                return null;
            } catch (Exception e) {
                return e;
            }
        });
        broker.acceptConnect(V5, "no");
        broker.send(new Connack(false, 0x87, Properties.EMPTY));
        Throwable t = f.get(5, TimeUnit.SECONDS);
        assertThat(t).isInstanceOf(ReferenceClient.ConnectException.class);
        assertThat(((ReferenceClient.ConnectException) t).connack().reasonCode()).isEqualTo(0x87);
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void never_more_publishes_in_flight_than_the_brokers_receive_maximum() throws Exception {
        connect(ReferenceClient.options().clientId("fc").build(),
                connack(Properties.builder().number(PropertyId.RECEIVE_MAXIMUM, 2).build()));
        CompletableFuture<?>[] acks = new CompletableFuture<?>[5];
        for (int i = 0; i < 5; i++) {
            acks[i] = client.publish("fc", "m" + i, QoS.AT_LEAST_ONCE, false);
        }
        client.ping(); // written after whatever the publishes put on the wire
        Publish first = broker.expect(Publish.class);
        Publish second = broker.expect(Publish.class);
        broker.expect(Pingreq.class);
        assertThat(client.inFlight()).isEqualTo(2);
        assertThat(client.unacknowledged()).isEqualTo(5);
        broker.send(new Puback(first.packetId()));
        Publish third = broker.expect(Publish.class);
        assertThat(third.payload().toUtf8()).isEqualTo("m2");
        assertThat(acks[0].get(5, TimeUnit.SECONDS)).isInstanceOf(Puback.class);
        broker.send(new Puback(second.packetId()));
        broker.send(new Puback(third.packetId()));
        Publish fourth = broker.expect(Publish.class);
        Publish fifth = broker.expect(Publish.class);
        broker.send(new Puback(fourth.packetId()));
        broker.send(new Puback(fifth.packetId()));
        CompletableFuture.allOf(acks).get(5, TimeUnit.SECONDS);
        assertThat(client.unacknowledged()).isZero();
    }

    @Test
    void outgoing_topic_aliases_stay_within_the_brokers_maximum() throws Exception {
        connect(ReferenceClient.options().clientId("al").build(),
                connack(Properties.builder().number(PropertyId.TOPIC_ALIAS_MAXIMUM, 1).build()));
        client.publish("a/1", "x", QoS.AT_MOST_ONCE, false);
        client.publish("a/1", "y", QoS.AT_MOST_ONCE, false);
        client.publish("a/2", "z", QoS.AT_MOST_ONCE, false);
        Publish p1 = broker.expect(Publish.class);
        Publish p2 = broker.expect(Publish.class);
        Publish p3 = broker.expect(Publish.class);
        assertThat(p1.topic().toString()).isEqualTo("a/1");
        assertThat(p1.properties().number(PropertyId.TOPIC_ALIAS, 0)).isEqualTo(1);
        assertThat(p2.topic().isEmpty()).isTrue();
        assertThat(p2.properties().number(PropertyId.TOPIC_ALIAS, 0)).isEqualTo(1);
        assertThat(p3.topic().toString()).isEqualTo("a/2");
        assertThat(p3.properties().has(PropertyId.TOPIC_ALIAS)).isFalse();
    }

    @Test
    void no_topic_alias_when_the_broker_allows_none() throws Exception {
        connect(ReferenceClient.options().clientId("al").build(), connack(Properties.EMPTY));
        client.publish("a/1", "x", QoS.AT_MOST_ONCE, false);
        client.publish("a/1", "y", QoS.AT_MOST_ONCE, false);
        assertThat(broker.expect(Publish.class).properties().has(PropertyId.TOPIC_ALIAS)).isFalse();
        assertThat(broker.expect(Publish.class).topic().toString()).isEqualTo("a/1");
    }

    @Test
    void incoming_topic_alias_is_resolved_to_its_topic() throws Exception {
        connect(ReferenceClient.options().clientId("in").topicAliasMaximum(4).build(), connack(Properties.EMPTY));
        Properties alias = Properties.builder().number(PropertyId.TOPIC_ALIAS, 2).build();
        broker.send(Publish.qos0("in/t", "named").withProperties(alias));
        broker.send(Publish.qos0("in/t", "aliased").withTopic(TopicName.EMPTY).withProperties(alias));
        ReferenceClient.Message m1 = client.receive();
        ReferenceClient.Message m2 = client.receive();
        assertThat(m1.topic()).isEqualTo("in/t");
        assertThat(m2.topic()).isEqualTo("in/t");
        assertThat(m2.payloadUtf8()).isEqualTo("aliased");
        assertThat(m2.properties().has(PropertyId.TOPIC_ALIAS)).isFalse();
    }

    @Test
    void incoming_topic_alias_above_the_clients_maximum_is_disconnected_0x94() throws Exception {
        connect(ReferenceClient.options().clientId("in").topicAliasMaximum(1).build(), connack(Properties.EMPTY));
        broker.send(Publish.qos0("in/t", "x").withProperties(Properties.builder().number(PropertyId.TOPIC_ALIAS, 2).build()));
        assertThat(broker.expect(Disconnect.class).reasonCode()).isEqualTo(0x94);
        assertThat(client.awaitClosed(ScriptedBroker.WAIT)).isTrue();
    }

    @Test
    void qos1_and_qos2_deliveries_are_acknowledged_and_qos2_is_delivered_once() throws Exception {
        connect(ReferenceClient.options().clientId("q").build(), connack(Properties.EMPTY));
        broker.send(Publish.of("q", "one", QoS.AT_LEAST_ONCE, 11, false));
        assertThat(broker.expect(Puback.class).packetId()).isEqualTo(11);
        broker.send(Publish.of("q", "two", QoS.EXACTLY_ONCE, 12, false));
        assertThat(broker.expect(Pubrec.class).packetId()).isEqualTo(12);
        broker.send(Publish.of("q", "two", QoS.EXACTLY_ONCE, 12, false).withDup(true));
        assertThat(broker.expect(Pubrec.class).packetId()).isEqualTo(12);
        broker.send(new Pubrel(12));
        assertThat(broker.expect(Pubcomp.class).packetId()).isEqualTo(12);
        assertThat(client.receive().payloadUtf8()).isEqualTo("one");
        assertThat(client.receive().payloadUtf8()).isEqualTo("two");
        assertThat(client.receive(Duration.ZERO)).isEmpty();
    }

    @Test
    void qos2_publish_goes_publish_pubrec_pubrel_pubcomp() throws Exception {
        connect(ReferenceClient.options().clientId("q2").build(), connack(Properties.EMPTY));
        CompletableFuture<PubAck> done = client.publish("q2", "x", QoS.EXACTLY_ONCE, true);
        Publish p = broker.expect(Publish.class);
        assertThat(p.retain()).isTrue();
        broker.send(new Pubrec(p.packetId()));
        assertThat(broker.expect(Pubrel.class).packetId()).isEqualTo(p.packetId());
        broker.send(new Pubcomp(p.packetId()));
        assertThat(done.get(5, TimeUnit.SECONDS)).isInstanceOf(Pubcomp.class);
    }

    @Test
    void resumed_session_resends_unacknowledged_publish_with_dup_and_pubrel() throws Exception {
        ReferenceClient.Options o = ReferenceClient.options().version(V3_1_1).clientId("resume").cleanStart(false).build();
        connect(o, connack(Properties.EMPTY));
        CompletableFuture<PubAck> one = client.publish("r", "one", QoS.AT_LEAST_ONCE, false);
        CompletableFuture<PubAck> two = client.publish("r", "two", QoS.EXACTLY_ONCE, false);
        Publish p1 = broker.expect(Publish.class);
        Publish p2 = broker.expect(Publish.class);
        broker.send(new Pubrec(p2.packetId()));
        broker.expect(Pubrel.class);
        broker.dropConnection();
        assertThat(client.awaitClosed(ScriptedBroker.WAIT)).isTrue();

        connectAgain(false, V3_1_1, new Connack(true, 0, Properties.EMPTY));
        Publish again = broker.expect(Publish.class);
        assertThat(again.dup()).isTrue();
        assertThat(again.packetId()).isEqualTo(p1.packetId());
        assertThat(again.payload().toUtf8()).isEqualTo("one");
        assertThat(broker.expect(Pubrel.class).packetId()).isEqualTo(p2.packetId());
        broker.send(new Puback(p1.packetId()));
        broker.send(new Pubcomp(p2.packetId()));
        assertThat(one.get(5, TimeUnit.SECONDS)).isInstanceOf(Puback.class);
        assertThat(two.get(5, TimeUnit.SECONDS)).isInstanceOf(Pubcomp.class);
    }

    @Test
    void session_present_0_discards_the_session_state() throws Exception {
        ReferenceClient.Options o = ReferenceClient.options().clientId("lost").cleanStart(false).sessionExpiry(60).build();
        connect(o, connack(Properties.EMPTY));
        CompletableFuture<PubAck> one = client.publish("r", "one", QoS.AT_LEAST_ONCE, false);
        broker.expect(Publish.class);
        broker.dropConnection();
        assertThat(client.awaitClosed(ScriptedBroker.WAIT)).isTrue();
        connectAgain(false, V5, new Connack(false, 0, Properties.EMPTY));
        assertThatThrownBy(() -> one.get(5, TimeUnit.SECONDS)).hasMessageContaining("Session Present 0");
        client.ping();
        broker.expect(Pingreq.class); // nothing was re-sent before it
    }

    @Test
    void publishes_made_while_offline_are_sent_after_connecting() throws Exception {
        client = ReferenceClient.create(broker.endpoint(), ReferenceClient.options().clientId("off").cleanStart(false).build());
        CompletableFuture<PubAck> later = client.publish("o", "queued", QoS.AT_LEAST_ONCE, false);
        assertThat(client.publish("o", "lost", QoS.AT_MOST_ONCE, false)).isCompletedExceptionally();
        connectAgain(false, V5, connack(Properties.EMPTY));
        Publish p = broker.expect(Publish.class);
        assertThat(p.payload().toUtf8()).isEqualTo("queued");
        broker.send(new Puback(p.packetId()));
        later.get(5, TimeUnit.SECONDS);
    }

    @Test
    void keep_alive_sends_pingreq_when_idle() throws Exception {
        connect(ReferenceClient.options().clientId("ka").keepAlive(1).build(), connack(Properties.EMPTY));
        // the only timed wait here: the client must ping within its 1 s Keep Alive
        broker.expect(Pingreq.class);
    }

    @Test
    void server_keep_alive_replaces_the_clients() throws Exception {
        connect(ReferenceClient.options().clientId("ka").keepAlive(0).build(),
                connack(Properties.builder().number(PropertyId.SERVER_KEEP_ALIVE, 1).build()));
        broker.expect(Pingreq.class);
    }

    @Test
    void disconnect_sends_disconnect_with_the_reason_code() throws Exception {
        connect(ReferenceClient.options().clientId("bye").build(), connack(Properties.EMPTY));
        client.disconnect(0x04, Properties.EMPTY);
        assertThat(broker.expect(Disconnect.class).reasonCode()).isEqualTo(0x04);
        assertThat(broker.awaitEof()).isTrue();
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void listener_receives_messages_instead_of_the_inbox() throws Exception {
        connect(ReferenceClient.options().clientId("l").build(), connack(Properties.EMPTY));
        CompletableFuture<ReferenceClient.Message> got = new CompletableFuture<>();
        client.onMessage(got::complete);
        broker.send(Publish.qos0("l", "heard"));
        assertThat(got.get(5, TimeUnit.SECONDS).payloadUtf8()).isEqualTo("heard");
        assertThat(client.drainInbox()).isEmpty();
    }
}
