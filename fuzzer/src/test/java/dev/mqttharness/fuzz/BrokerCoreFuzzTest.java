package dev.mqttharness.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mqttharness.broker.BrokerConfig;
import dev.mqttharness.broker.core.BrokerCore;
import dev.mqttharness.broker.core.ConnectionInfo;
import dev.mqttharness.broker.core.Effects;
import dev.mqttharness.fuzz.engine.ChoiceSource;
import dev.mqttharness.fuzz.engine.Choices;
import dev.mqttharness.fuzz.gen.PacketGen;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.Malformed;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.codec.PacketValidator;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Puback;
import dev.mqttharness.spec.packet.Pubcomp;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Pubrec;
import dev.mqttharness.spec.packet.Pubrel;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Subscribe;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Coverage-guided fuzzing of the reference broker's core, in process: arbitrary bytes and generated
 * valid packets on several connections, interleaved with connections opening and being lost and
 * time advancing. Properties:
 * <ul>
 *   <li>the core never throws;</li>
 *   <li>everything it sends decodes with the client-side decoder (one whole packet per send) and
 *       passes the strict validator; nothing is sent to a connection after it was closed;</li>
 *   <li>connections do not leak into each other: a witness client with its own Client Identifier and
 *       topics receives exactly what it receives when it runs alone;</li>
 *   <li>the session of a connection that asked for none (3.1.1 Clean Session 1, 5.0 Session Expiry
 *       Interval 0) is gone once the connection closed: reconnecting without a clean start finds
 *       Session Present 0.</li>
 * </ul>
 * In {@code mvn verify} it replays the inputs in {@code BrokerCoreFuzzTestInputs/}; with
 * {@code JAZZER_FUZZ=1} it fuzzes (see docs/fuzzing.md).
 */
class BrokerCoreFuzzTest {
    private static final String WITNESS_ID = "wtns9cid";
    private static final String WITNESS_TOPIC = "wtns9/t";
    private static final long WITNESS = 1_000;
    private static final int MAX_OPS = 120;
    private static final Map<String, List<String>> ALONE = new java.util.concurrent.ConcurrentHashMap<>();

    @FuzzTest(maxDuration = "60s")
    void core_never_throws_sends_only_valid_packets_and_keeps_connections_apart(FuzzedDataProvider data) {
        byte[] all = data.consumeRemainingAsBytes();
        boolean touchesWitness = contains(all, "wtns9".getBytes(StandardCharsets.US_ASCII));
        MqttVersion witnessVersion = all.length > 0 && (all[0] & 1) == 1 ? MqttVersion.V5 : MqttVersion.V3_1_1;

        Run mixed = new Run(witnessVersion);
        mixed.fuzz(all);
        if (!touchesWitness) {
            // the same witness script with nobody else around (deterministic, so computed once per length)
            List<String> alone = ALONE.computeIfAbsent(witnessVersion + "/" + mixed.witnessStep, k -> {
                Run r = new Run(witnessVersion);
                r.witnessAlone(mixed.witnessStep);
                return r.witnessReceived;
            });
            assertThat(mixed.witnessReceived).as("what the witness received with other connections around")
                    .isEqualTo(alone);
        }
        mixed.sessionsOfCleanConnectionsAreGone();
    }

    /** One run of the core with a recording Effects. */
    private static final class Run implements Effects {
        final BrokerCore core = new BrokerCore(BrokerConfig.defaults(), this, new SplittableRandom(7));
        final MqttVersion witnessVersion;
        final Map<Long, Conn> conns = new LinkedHashMap<>();
        final List<Conn> connList = new ArrayList<>();
        final List<String> witnessReceived = new ArrayList<>();
        final MqttDecoder witnessDecoder;
        long now = 1;
        long nextId = 1;
        int witnessStep;

        Run(MqttVersion witnessVersion) {
            this.witnessVersion = witnessVersion;
            this.witnessDecoder = MqttDecoder.forClient(witnessVersion, MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
        }

        /** What the test knows of one fuzzed connection. */
        static final class Conn {
            final long id;
            final MqttDecoder shadow = MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
            Connect connect;
            boolean accepted;
            boolean closed;
            long acceptedOrder;

            Conn(long id) {
                this.id = id;
            }
        }

        long acceptCounter;

        void fuzz(byte[] input) {
            core.open(WITNESS, ConnectionInfo.tcp("witness"), now);
            witness(); // CONNECT
            witness(); // SUBSCRIBE
            int pos = 1;
            int ops = 0;
            while (pos < input.length && ops++ < MAX_OPS) {
                int op = input[pos++] & 0x0F;
                switch (op) {
                    case 0:
                    case 1: {
                        if (conns.size() < 6) {
                            long id = nextId++;
                            Conn c = new Conn(id);
                            conns.put(id, c);
                            connList.add(c);
                            core.open(id, ConnectionInfo.tcp("fuzz-" + id), now);
                        }
                        break;
                    }
                    case 2:
                    case 3:
                    case 4: {
                        // raw bytes: a length byte, then that many bytes
                        Conn c = pick(input, pos++);
                        int n = pos < input.length ? input[pos++] & 0x3F : 0;
                        n = Math.min(n, input.length - pos);
                        if (c != null && n > 0) {
                            feed(c, java.util.Arrays.copyOfRange(input, pos, pos + n));
                        }
                        pos += n;
                        break;
                    }
                    case 5:
                    case 6:
                    case 7:
                    case 8: {
                        // a valid packet drawn from the next bytes
                        Conn c = pick(input, pos++);
                        int n = Math.min(16, input.length - pos);
                        if (c != null && n > 0) {
                            long[] choices = new long[n];
                            for (int i = 0; i < n; i++) {
                                choices[i] = input[pos + i] & 0xFF;
                            }
                            feed(c, validPacket(c, choices, op == 5));
                        }
                        pos += n;
                        break;
                    }
                    case 9: {
                        Conn c = pick(input, pos++);
                        if (c != null && !c.closed) {
                            c.closed = true;
                            core.lost(c.id, now);
                        }
                        break;
                    }
                    case 10: {
                        int dt = pos < input.length ? (input[pos++] & 0xFF) * 500 : 0;
                        now += dt;
                        core.tick(now);
                        break;
                    }
                    default:
                        witness();
                        break;
                }
            }
            witness();
            witness();
        }

        void witnessAlone(int steps) {
            core.open(WITNESS, ConnectionInfo.tcp("witness"), now);
            for (int i = 0; i < steps; i++) {
                witness();
            }
        }

        Conn pick(byte[] input, int pos) {
            if (conns.isEmpty() || pos >= input.length) {
                return null;
            }
            return connList.get((input[pos] & 0xFF) % connList.size());
        }

        byte[] validPacket(Conn c, long[] choices, boolean connect) {
            MqttVersion v = c.connect != null ? c.connect.version() : (choices[0] & 1) == 0 ? MqttVersion.V3_1_1 : MqttVersion.V5;
            PacketGen g = new PacketGen(ChoiceSource.replay(Choices.of(choices)), v, "f/");
            Packet p = connect || c.connect == null ? g.connect() : g.fromClient();
            return MqttEncoder.encode(p, v);
        }

        void feed(Conn c, byte[] bytes) {
            if (c.closed) {
                return;
            }
            for (DecodeResult r : c.shadow.feed(bytes.clone())) {
                if (r instanceof DecodeResult.Decoded d && d.packet() instanceof Connect cn && c.connect == null) {
                    c.connect = cn;
                }
            }
            core.receive(c.id, bytes, 0, bytes.length, now);
        }

        /** The witness's script: CONNECT, SUBSCRIBE, then a QoS 1 PUBLISH to itself each step. */
        void witness() {
            int step = witnessStep++;
            Packet p;
            if (step == 0) {
                p = Connect.builder(witnessVersion).clientId(WITNESS_ID).build();
            } else if (step == 1) {
                p = Subscribe.of(1, "wtns9/#", QoS.EXACTLY_ONCE);
            } else {
                p = new Publish(false, QoS.of(step % 3), false, dev.mqttharness.spec.packet.TopicName.of(WITNESS_TOPIC),
                        step % 3 == 0 ? 0 : 100 + step, null, dev.mqttharness.spec.packet.BinaryData.of("w" + step));
            }
            byte[] b = MqttEncoder.encode(p, witnessVersion);
            core.receive(WITNESS, b, 0, b.length, now);
        }

        @Override
        public void send(long connId, byte[] bytes, Packet packet) {
            if (connId == WITNESS) {
                List<DecodeResult> rs = witnessDecoder.feed(bytes.clone());
                if (rs.size() != 1 || !(rs.get(0) instanceof DecodeResult.Decoded)) {
                    throw new AssertionError("the core sent the witness " + rs);
                }
                Packet p = ((DecodeResult.Decoded) rs.get(0)).packet();
                if (!PacketValidator.validate(p, witnessVersion).isEmpty()) {
                    throw new AssertionError("the core sent the witness an invalid " + PacketFormat.describe(p) + ": "
                            + PacketValidator.validate(p, witnessVersion));
                }
                witnessReceived.add(java.util.HexFormat.of().formatHex(bytes));
                // the witness acknowledges everything at once
                Packet ack = null;
                if (p instanceof Publish pub && pub.qos() == QoS.AT_LEAST_ONCE) {
                    ack = new Puback(pub.packetId());
                } else if (p instanceof Publish pub && pub.qos() == QoS.EXACTLY_ONCE) {
                    ack = new Pubrec(pub.packetId());
                } else if (p instanceof Pubrel rel) {
                    ack = new Pubcomp(rel.packetId());
                } else if (p instanceof Pubrec rec) {
                    ack = new Pubrel(rec.packetId());
                }
                if (ack != null) {
                    byte[] b = MqttEncoder.encode(ack, witnessVersion);
                    core.receive(WITNESS, b, 0, b.length, now);
                }
                return;
            }
            Conn c = conns.get(connId);
            if (c == null) {
                throw new AssertionError("send to connection " + connId + ", which was never opened");
            }
            if (c.closed) {
                throw new AssertionError("send to connection " + connId + " after it closed: " + PacketFormat.describe(packet));
            }
            Packet p = decodeOne(c, bytes);
            if (p instanceof Connack ca && ca.reasonCode() == 0) {
                c.accepted = true;
                c.acceptedOrder = ++acceptCounter;
                lastConnackSessionPresent = ca.sessionPresent();
            }
        }

        /** Decodes one sent packet with the client decoder of the connection's version (both if it is unknown). */
        Packet decodeOne(Conn c, byte[] bytes) {
            List<MqttVersion> candidates = new ArrayList<>();
            if (c.connect != null) {
                candidates.add(c.connect.version().catalogVersion());
            }
            // a refused CONNECT (unknown protocol level) is answered in either layout
            candidates.add(MqttVersion.V3_1_1);
            candidates.add(MqttVersion.V5);
            String problems = "";
            for (MqttVersion v : candidates) {
                List<DecodeResult> rs = MqttDecoder.forClient(v, MqttDecoder.PROTOCOL_MAX_PACKET_SIZE).feed(bytes.clone());
                if (rs.size() == 1 && rs.get(0) instanceof DecodeResult.Decoded d) {
                    Packet p = d.packet();
                    if (PacketValidator.validate(p, v).isEmpty()
                            && (c.connect == null || v == c.connect.version().catalogVersion() || p.type() == PacketType.CONNACK)) {
                        return p;
                    }
                    problems += v + ": " + PacketValidator.validate(p, v) + "; ";
                } else {
                    problems += v + ": " + rs + "; ";
                    if (!rs.isEmpty() && rs.get(0) instanceof Malformed m) {
                        problems += m + "; ";
                    }
                }
                if (c.connect != null && v == c.connect.version().catalogVersion() && c.accepted) {
                    break; // after a successful CONNACK only the connection's own version counts
                }
            }
            throw new AssertionError("the core sent bytes that are not one valid packet: "
                    + java.util.HexFormat.of().formatHex(bytes) + " (" + problems + ")");
        }

        @Override
        public void close(long connId, String reason) {
            Conn c = conns.get(connId);
            if (c != null) {
                c.closed = true;
            }
        }

        /**
         * Every connection is lost; then a client id whose last accepted connection asked for no
         * session reconnects without a clean start and must find no session.
         */
        void sessionsOfCleanConnectionsAreGone() {
            for (Conn c : conns.values()) {
                if (!c.closed) {
                    c.closed = true;
                    core.lost(c.id, now);
                }
            }
            Map<String, Conn> last = new HashMap<>();
            for (Conn c : conns.values()) {
                if (c.accepted && c.connect != null && !c.connect.clientId().isEmpty()) {
                    Conn prev = last.get(c.connect.clientId().toString());
                    if (prev == null || prev.acceptedOrder < c.acceptedOrder) {
                        last.put(c.connect.clientId().toString(), c);
                    }
                }
            }
            for (Map.Entry<String, Conn> e : last.entrySet()) {
                Connect cn = e.getValue().connect;
                boolean noSession = cn.version().isV5()
                        ? cn.properties().number(PropertyId.SESSION_EXPIRY_INTERVAL, 0) == 0
                        : cn.cleanStart();
                if (!noSession || e.getKey().equals(WITNESS_ID)) {
                    continue;
                }
                long id = nextId++;
                Conn probe = new Conn(id);
                conns.put(id, probe);
                core.open(id, ConnectionInfo.tcp("check"), now);
                byte[] b = MqttEncoder.encode(Connect.builder(cn.version()).clientId(e.getKey()).cleanStart(false).build(), cn.version());
                feed(probe, b);
                // the CONNACK went through send(): look at what the shadow says was accepted
                assertThat(probe.accepted).as("reconnect of " + e.getKey()).isTrue();
                assertThat(lastConnackSessionPresent).as("Session Present for " + e.getKey()
                        + " after its connection without a session closed").isFalse();
                core.lost(id, now);
                probe.closed = true;
            }
        }

        /** Session Present of the last successful CONNACK the core sent to a fuzzed connection. */
        boolean lastConnackSessionPresent;
    }

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
