package dev.mqttharness.fuzz.gen;

import dev.mqttharness.fuzz.engine.ChoiceSource;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.ReturnCode311;
import dev.mqttharness.spec.packet.StringPair;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.packet.Utf8String;
import dev.mqttharness.spec.packet.Will;
import java.util.ArrayList;
import java.util.List;

/**
 * Valid packets of every type, for 3.1.1 and 5.0 (5.0 with every property its type allows, each
 * with some probability and a value valid for it), drawn from a {@link ChoiceSource} so that they
 * shrink like everything else. Boundary values (Variable Byte Integer edges, packet identifiers 1 and
 * 65,535, empty strings) come up often. Topics are put under {@code prefix}.
 */
public final class PacketGen {
    private static final int[] VBI_EDGES = {1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455};
    private static final String[] LEVELS = {"a", "b", "\u00e9", "\uFEFF", "x y", "\uD83D\uDE00"};

    private final ChoiceSource s;
    private final MqttVersion version;
    private final String prefix;

    public PacketGen(ChoiceSource s, MqttVersion version, String prefix) {
        this.s = s;
        this.version = version;
        this.prefix = prefix;
    }

    private boolean v5() {
        return version.isV5();
    }

    /** Types of the version: AUTH only in 5.0. */
    public List<PacketType> types() {
        List<PacketType> out = new ArrayList<>();
        for (PacketType t : PacketType.values()) {
            if (t != PacketType.AUTH || v5()) {
                out.add(t);
            }
        }
        return out;
    }

    /** A valid packet of a type drawn from the version's types. */
    public Packet any() {
        return packet(s.pick(types()));
    }

    /** A valid packet of a type a client may send. */
    public Packet fromClient() {
        List<PacketType> t = new ArrayList<>();
        for (PacketType p : types()) {
            if (p.sentByClient()) {
                t.add(p);
            }
        }
        return packet(s.pick(t));
    }

    public Packet packet(PacketType type) {
        switch (type) {
            case CONNECT: return connect();
            case CONNACK: return connack();
            case PUBLISH: return publish();
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP:
                return pubAck(type);
            case SUBSCRIBE: return subscribe();
            case SUBACK: return suback();
            case UNSUBSCRIBE: return unsubscribe();
            case UNSUBACK: return unsuback();
            case PINGREQ: return Pingreq.INSTANCE;
            case PINGRESP: return new Pingresp();
            case DISCONNECT: return disconnect();
            case AUTH: return auth();
            default: throw new IllegalStateException(type.toString());
        }
    }

    // ---------------------------------------------------------------- values

    public int packetId() {
        int k = s.weighted(70, 15, 15);
        return k == 0 ? s.between(1, 1000) : k == 1 ? 1 : 65_535;
    }

    public String level() {
        return LEVELS[s.weighted(50, 25, 5, 5, 5, 10)];
    }

    public String topic() {
        StringBuilder sb = new StringBuilder(prefix);
        int n = s.between(1, 3);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(level());
        }
        return sb.toString();
    }

    public String filter() {
        StringBuilder sb = new StringBuilder(prefix);
        int n = s.between(1, 3);
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                sb.append('/');
            }
            if (i == n - 1 && s.chance(15)) {
                sb.append('#');
            } else if (s.chance(20)) {
                sb.append('+');
            } else {
                sb.append(level());
            }
        }
        return sb.toString();
    }

    public String text(int max) {
        int n = s.weighted(60, 30, 10) == 0 ? s.between(0, 8) : s.between(0, max);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(level()); // whole levels: never half a surrogate pair
        }
        return sb.toString();
    }

    public BinaryData bytes(int max) {
        int n = s.between(0, max);
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) s.draw(255);
        }
        return BinaryData.wrap(b);
    }

    public long vbi() {
        return s.chance(40) ? VBI_EDGES[s.between(0, VBI_EDGES.length - 1)] : s.between(1, 100_000);
    }

    private long u32() {
        int k = s.weighted(60, 20, 20);
        return k == 0 ? s.between(0, 100_000) : k == 1 ? 0 : 0xFFFF_FFFFL;
    }

    private int u16NonZero() {
        return s.chance(30) ? 65_535 : s.between(1, 1000);
    }

    /** Properties valid for {@code type}, in a drawn order, each at most once but User Property. */
    public Properties properties(PacketType type, boolean will) {
        if (!v5() || !s.chance(60)) {
            return Properties.EMPTY;
        }
        Properties.Builder b = Properties.builder();
        for (PropertyId id : PropertyId.values()) {
            boolean allowed = will ? id.allowedInWill() : id.allowedIn(type);
            if (!allowed || id == PropertyId.TOPIC_ALIAS || id == PropertyId.AUTHENTICATION_METHOD
                    || id == PropertyId.AUTHENTICATION_DATA
                    || (id == PropertyId.SUBSCRIPTION_IDENTIFIER && type == PacketType.PUBLISH)
                    || (type == PacketType.DISCONNECT && id == PropertyId.SESSION_EXPIRY_INTERVAL)
                    || (type == PacketType.DISCONNECT && id == PropertyId.SERVER_REFERENCE)) {
                continue;
            }
            if (!s.chance(25)) {
                continue;
            }
            int reps = id == PropertyId.USER_PROPERTY ? s.between(1, 3) : 1;
            for (int r = 0; r < reps; r++) {
                b.add(value(id));
            }
        }
        return b.build();
    }

    private Property value(PropertyId id) {
        switch (id) {
            case PAYLOAD_FORMAT_INDICATOR:
            case REQUEST_PROBLEM_INFORMATION:
            case REQUEST_RESPONSE_INFORMATION:
            case RETAIN_AVAILABLE:
            case WILDCARD_SUBSCRIPTION_AVAILABLE:
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE:
            case SHARED_SUBSCRIPTION_AVAILABLE:
                return Property.number(id, s.between(0, 1));
            case MAXIMUM_QOS:
                return Property.number(id, s.between(0, 1));
            case RECEIVE_MAXIMUM:
            case TOPIC_ALIAS_MAXIMUM:
            case SERVER_KEEP_ALIVE:
                return Property.number(id, id == PropertyId.TOPIC_ALIAS_MAXIMUM ? s.between(0, 65_535) : u16NonZero());
            case MESSAGE_EXPIRY_INTERVAL:
            case SESSION_EXPIRY_INTERVAL:
            case WILL_DELAY_INTERVAL:
                return Property.number(id, u32());
            case MAXIMUM_PACKET_SIZE:
                return Property.number(id, s.chance(30) ? 268_435_460L : s.between(128, 1 << 20));
            case SUBSCRIPTION_IDENTIFIER:
                return Property.number(id, vbi());
            case CONTENT_TYPE:
            case REASON_STRING:
            case RESPONSE_INFORMATION:
            case SERVER_REFERENCE:
            case ASSIGNED_CLIENT_IDENTIFIER:
                return Property.string(id, text(40));
            case RESPONSE_TOPIC:
                return Property.string(id, topic());
            case CORRELATION_DATA:
            case AUTHENTICATION_DATA:
                return Property.binary(id, bytes(16));
            case AUTHENTICATION_METHOD:
                return Property.string(id, "SCRAM-SHA-256");
            case USER_PROPERTY:
                return Property.userProperty(new StringPair(Utf8String.of(text(20)), Utf8String.of(text(40))));
            default:
                throw new IllegalStateException(id.toString());
        }
    }

    // ---------------------------------------------------------------- packets

    public Connect connect() {
        Connect.Builder b = Connect.builder(version)
                .clientId(s.chance(10) ? "" : "c" + s.between(0, 999_999))
                .keepAlive(s.pick(0, 60, 1, 65_535))
                .properties(properties(PacketType.CONNECT, false));
        boolean clean = s.chance(70);
        b.cleanStart(clean);
        if (!clean && !v5()) {
            b.clientId("c" + s.between(0, 999_999)); // 3.1.1: an empty id needs clean session
        }
        if (s.chance(20)) {
            b.will(new Will(TopicName.of(topic()), bytes(16), QoS.of(s.between(0, 2)), s.chance(30),
                    properties(PacketType.CONNECT, true)));
        }
        if (s.chance(20)) {
            b.username(text(16));
            if (s.chance(50)) {
                b.password(bytes(16));
            }
        } else if (v5() && s.chance(10)) {
            b.password(bytes(16)); // a password without a user name is allowed in 5.0
        }
        return b.build();
    }

    public Connack connack() {
        int rc;
        if (v5()) {
            rc = s.chance(80) ? 0 : s.pick(0x80, 0x81, 0x82, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90,
                    0x95, 0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F);
        } else {
            rc = s.chance(80) ? 0 : s.between(1, 5);
        }
        return new Connack(rc == 0 && s.chance(30), rc, properties(PacketType.CONNACK, false));
    }

    public Publish publish() {
        QoS q = QoS.of(s.between(0, 2));
        int id = q == QoS.AT_MOST_ONCE ? 0 : packetId();
        boolean dup = q != QoS.AT_MOST_ONCE && s.chance(10);
        return new Publish(dup, q, s.chance(20), TopicName.of(topic()), id, properties(PacketType.PUBLISH, false),
                bytes(s.chance(5) ? 2000 : 24));
    }

    public PubAck pubAck(PacketType type) {
        int rc = 0;
        if (v5() && s.chance(30)) {
            List<Integer> codes = new ArrayList<>();
            for (ReasonCode c : ReasonCode.values()) {
                if (c.packets().contains(type)) {
                    codes.add(c.value());
                }
            }
            rc = s.pick(codes);
        }
        return PubAck.of(type, packetId(), rc, properties(type, false));
    }

    public Subscribe subscribe() {
        int n = s.between(1, 3);
        List<TopicSubscription> subs = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TopicSubscription ts = new TopicSubscription(TopicFilter.of(filter()), QoS.of(s.between(0, 2)), false, false, 0);
            if (v5()) {
                ts = ts.withNoLocal(s.chance(10)).withRetainAsPublished(s.chance(10)).withRetainHandling(s.between(0, 2));
            }
            subs.add(ts);
        }
        return new Subscribe(packetId(), properties(PacketType.SUBSCRIBE, false), subs);
    }

    public Suback suback() {
        int n = s.between(1, 3);
        List<Integer> codes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            codes.add(v5() ? s.pick(0, 1, 2, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2)
                    : s.pick(0, 1, 2, ReturnCode311.SUBACK_FAILURE));
        }
        return new Suback(packetId(), properties(PacketType.SUBACK, false), codes);
    }

    public Unsubscribe unsubscribe() {
        int n = s.between(1, 3);
        List<TopicFilter> f = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            f.add(TopicFilter.of(filter()));
        }
        return new Unsubscribe(packetId(), properties(PacketType.UNSUBSCRIBE, false), f);
    }

    public Unsuback unsuback() {
        List<Integer> codes = new ArrayList<>();
        if (v5()) {
            int n = s.between(1, 3);
            for (int i = 0; i < n; i++) {
                codes.add(s.pick(0x00, 0x11, 0x80, 0x83, 0x87, 0x8F, 0x91));
            }
        }
        return new Unsuback(packetId(), properties(PacketType.UNSUBACK, false), codes);
    }

    public Disconnect disconnect() {
        if (!v5()) {
            return Disconnect.NORMAL;
        }
        int rc = s.chance(70) ? 0 : s.pick(0x04, 0x80, 0x81, 0x82, 0x83, 0x87, 0x90, 0x93, 0x94, 0x95, 0x96, 0x98, 0x99);
        return new Disconnect(rc, properties(PacketType.DISCONNECT, false));
    }

    public Auth auth() {
        int rc = s.pick(0x00, 0x18, 0x19);
        Properties p = Properties.builder().string(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                .binary(PropertyId.AUTHENTICATION_DATA, bytes(16)).build();
        return new Auth(rc, p);
    }
}
