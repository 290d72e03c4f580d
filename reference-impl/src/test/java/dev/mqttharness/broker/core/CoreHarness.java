package dev.mqttharness.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * Drives a {@link BrokerCore} without sockets: encoded packets in on numbered connections, a
 * virtual clock, and a recording {@link Effects}. Every packet the core sends is also decoded
 * again with a client-side decoder, so a test fails if the broker ever puts bytes on the wire
 * that a strict client would reject (unless a fault is switched on, when it may on purpose).
 */
final class CoreHarness {
    final BrokerConfig config;
    final BrokerCore core;
    final List<String> transcript = new ArrayList<>();
    private final Map<Long, Conn> conns = new HashMap<>();
    private long nextId;
    long now = 1_000;

    CoreHarness(BrokerConfig config) {
        this.config = config;
        this.core = new BrokerCore(config, new Recorder(), new Random(42));
    }

    CoreHarness() {
        this(BrokerConfig.defaults());
    }

    static CoreHarness withFault(String faultId) {
        return new CoreHarness(BrokerConfig.builder().fault(faultId).build());
    }

    /** Advances the virtual clock and lets the core act on it. */
    void advance(long ms) {
        now += ms;
        core.tick(now);
    }

    /** Advances to each deadline the core reports, up to {@code ms} in total. */
    void advanceStepwise(long ms) {
        long end = now + ms;
        while (true) {
            long next = core.nextDeadline();
            if (next > end) {
                break;
            }
            now = Math.max(now, next);
            core.tick(now);
        }
        now = end;
        core.tick(now);
    }

    Map<String, Long> enforced() {
        return core.enforced();
    }

    /** True if a decision named statement {@code id} of {@code version} ("3.1.1" or "5.0"). */
    boolean enforced(MqttVersion version, String id) {
        return core.enforced().getOrDefault(version.catalogVersion().label() + " " + id, 0L) > 0;
    }

    /** The connection opened last under {@code name}. */
    Conn conns(String name) {
        Conn found = null;
        for (Conn c : conns.values()) {
            if (c.name.equals(name) && (found == null || c.id > found.id)) {
                found = c;
            }
        }
        assertThat(found).as("connection %s", name).isNotNull();
        return found;
    }

    Conn open(MqttVersion version, String name) {
        Conn c = new Conn(++nextId, version, name);
        conns.put(c.id, c);
        core.open(c.id, ConnectionInfo.tcp("127.0.0.1:" + (40000 + c.id)), now);
        return c;
    }

    /** Opens a connection and connects with Clean Start 1; asserts the CONNACK accepts. */
    Conn connected(MqttVersion version, String clientId) {
        return connected(version, Connect.builder(version).clientId(clientId).build());
    }

    Conn connected(MqttVersion version, Connect connect) {
        Conn c = open(version, connect.clientId().toString().isEmpty() ? "anon" + (nextId + 1) : connect.clientId().toString());
        Connack ack = c.connect(connect);
        assertThat(ack.reasonCode()).as("CONNACK code of %s", c.name).isZero();
        return c;
    }

    private final class Recorder implements Effects {
        @Override
        public void send(long connId, byte[] bytes, Packet packet) {
            Conn c = conns.get(connId);
            assertThat(c).as("send on unknown connection %d", connId).isNotNull();
            assertThat(c.closed).as("%s: the core sent %s after closing", c.name, PacketFormat.describe(packet)).isNull();
            if (core.faults().isEmpty()) {
                // what goes on the wire decodes, strictly, to what the core meant to send
                assertThat(MqttEncoder.size(packet, c.wireVersion())).isEqualTo(bytes.length);
                MqttDecoder d = MqttDecoder.forClient(c.wireVersion(), MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
                List<DecodeResult> r = d.feed(bytes.clone());
                assertThat(r).as("%s: bytes of %s", c.name, PacketFormat.describe(packet)).hasSize(1);
                assertThat(r.get(0)).as("%s: %s decodes", c.name, PacketFormat.describe(packet))
                        .isInstanceOf(DecodeResult.Decoded.class);
            }
            c.received.add(packet);
            c.wire.add(bytes.clone());
            c.inbox.add(packet);
            transcript.add(c.name + " <- " + PacketFormat.describe(packet));
        }

        @Override
        public void close(long connId, String reason) {
            Conn c = conns.get(connId);
            assertThat(c).isNotNull();
            if (c.closed == null) {
                c.closed = reason;
                transcript.add(c.name + " closed");
            }
        }
    }

    /** One client connection as the core sees it. */
    final class Conn {
        final long id;
        final MqttVersion version;
        final String name;
        /** Every packet the core sent on this connection, in order. */
        final List<Packet> received = new ArrayList<>();
        /** The bytes of every packet the core sent, in order (as put on the wire). */
        final List<byte[]> wire = new ArrayList<>();
        /** Those not yet taken by {@link #expect} or {@link #take}. */
        private final List<Packet> inbox = new ArrayList<>();
        String closed;
        private int nextPacketId;

        Conn(long id, MqttVersion version, String name) {
            this.id = id;
            this.version = version;
            this.name = name;
        }

        /** The version the broker answers in: a refused 5.0 level guess may differ, but not here. */
        MqttVersion wireVersion() {
            return version;
        }

        void send(Packet p) {
            sendBytes(MqttEncoder.encode(p, version));
        }

        void sendUnchecked(Packet p) {
            sendBytes(MqttEncoder.encodeUnchecked(p, version));
        }

        void sendBytes(byte[] bytes) {
            transcript.add(name + " -> " + bytes.length + " bytes");
            core.receive(id, bytes.clone(), 0, bytes.length, now);
        }

        /** Sends CONNECT and returns the CONNACK (asserts one came). */
        Connack connect(Connect c) {
            send(c);
            return expect(Connack.class);
        }

        Connack connect(Connect.Builder b) {
            return connect(b.build());
        }

        int packetId() {
            nextPacketId = nextPacketId % 65_535 + 1;
            return nextPacketId;
        }

        Suback subscribe(String filter, QoS qos) {
            return subscribe(Properties.EMPTY, TopicSubscription.of(filter, qos));
        }

        Suback subscribe(TopicSubscription... subs) {
            return subscribe(Properties.EMPTY, subs);
        }

        Suback subscribe(Properties props, TopicSubscription... subs) {
            int pid = packetId();
            send(new Subscribe(pid, props, List.of(subs)));
            Suback s = expect(Suback.class);
            assertThat(s.packetId()).isEqualTo(pid);
            return s;
        }

        Unsuback unsubscribe(String... filters) {
            int pid = packetId();
            send(Unsubscribe.of(pid, filters));
            Unsuback u = expect(Unsuback.class);
            assertThat(u.packetId()).isEqualTo(pid);
            return u;
        }

        /** Publishes and completes the flow as a well-behaved client. */
        void publish(Publish p) {
            Publish pub = p.qos() != QoS.AT_MOST_ONCE && p.packetId() == 0 ? p.withPacketId(packetId()) : p;
            send(pub);
            if (pub.qos() == QoS.AT_LEAST_ONCE) {
                assertThat(expect(Puback.class).packetId()).isEqualTo(pub.packetId());
            } else if (pub.qos() == QoS.EXACTLY_ONCE) {
                assertThat(expect(Pubrec.class).packetId()).isEqualTo(pub.packetId());
                send(new Pubrel(pub.packetId()));
                assertThat(expect(Pubcomp.class).packetId()).isEqualTo(pub.packetId());
            }
        }

        void publish(String topic, String payload, QoS qos, boolean retain) {
            publish(Publish.of(topic, payload, qos, 0, retain));
        }

        /** Acknowledges a received PUBLISH as a well-behaved client: PUBACK, or PUBREC then PUBREL's PUBCOMP. */
        void ack(Publish p) {
            if (p.qos() == QoS.AT_LEAST_ONCE) {
                send(new Puback(p.packetId()));
            } else if (p.qos() == QoS.EXACTLY_ONCE) {
                send(new Pubrec(p.packetId()));
                Pubrel rel = expect(Pubrel.class);
                assertThat(rel.packetId()).isEqualTo(p.packetId());
                send(new Pubcomp(p.packetId()));
            }
        }

        void disconnect() {
            send(Disconnect.NORMAL);
        }

        void disconnect(int reasonCode, Properties props) {
            send(new Disconnect(reasonCode, props));
        }

        /** The connection drops without DISCONNECT. */
        void lose() {
            core.lost(id, now);
            transcript.add(name + " lost");
        }

        void ping() {
            send(Pingreq.INSTANCE);
        }

        /** Packets received and not yet taken, removed. */
        List<Packet> take() {
            List<Packet> out = new ArrayList<>(inbox);
            inbox.clear();
            return out;
        }

        /** PUBLISHes received and not yet taken, removed (other packets stay). */
        List<Publish> publishes() {
            List<Publish> out = new ArrayList<>();
            for (java.util.Iterator<Packet> it = inbox.iterator(); it.hasNext(); ) {
                Packet p = it.next();
                if (p instanceof Publish) {
                    out.add((Publish) p);
                    it.remove();
                }
            }
            return out;
        }

        /** Takes the first not-yet-taken packet of {@code type}; the others stay. */
        <T extends Packet> T expect(Class<T> type) {
            return type.cast(expect(type::isInstance, type.getSimpleName()));
        }

        Packet expect(Predicate<Packet> match, String what) {
            for (int i = 0; i < inbox.size(); i++) {
                if (match.test(inbox.get(i))) {
                    return inbox.remove(i);
                }
            }
            throw new AssertionError(name + ": expected " + what + " but got " + describe(inbox)
                    + (closed != null ? " and the connection closed (" + closed + ")" : ""));
        }

        /** Asserts nothing more arrived. */
        void expectNothing() {
            assertThat(describe(inbox)).as("%s: nothing more", name).isEqualTo("[]");
        }

        boolean isClosed() {
            return closed != null;
        }

        /** The Topic Alias the core put on a PUBLISH, or 0. */
        int alias(Publish p) {
            return (int) p.properties().number(PropertyId.TOPIC_ALIAS, 0);
        }
    }

    static String describe(List<Packet> ps) {
        List<String> out = new ArrayList<>();
        for (Packet p : ps) {
            out.add(PacketFormat.describe(p));
        }
        return out.toString();
    }
}
