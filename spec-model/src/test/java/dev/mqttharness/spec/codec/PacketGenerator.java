package dev.mqttharness.spec.codec;

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
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded generator of valid packets for property tests (no jqwik: a {@link SplittableRandom} with a
 * fixed seed, so that every failure reproduces). Each packet uses every field and every property its
 * type and version allow, each with some probability, with values valid for that property.
 */
final class PacketGenerator {
    /** Code points that exercise every UTF-8 length, including U+FEFF and U+FFFF (valid, kept). */
    private static final int[] INTERESTING = {'a', 'Z', '0', ' ', '/', '$', 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0xFEFF,
            0xFFFF, 0xD7FF, 0xE000, 0x10000, 0x1F600, 0x10FFFF};

    final SplittableRandom random;

    PacketGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    int between(int lo, int hiInclusive) {
        return lo + random.nextInt(hiInclusive - lo + 1);
    }

    <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    // ---------------------------------------------------------------- values

    /** A valid MQTT string of up to {@code max} code points: no U+0000, no surrogate code points. */
    String string(int max) {
        int n = random.nextInt(max + 1);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            int cp;
            switch (random.nextInt(4)) {
                case 0: cp = INTERESTING[random.nextInt(INTERESTING.length)]; break;
                case 1: cp = between(0x01, 0x7F); break;
                case 2: cp = between(0x80, 0xD7FF); break;
                default: cp = chance(50) ? between(0xE000, 0xFFFF) : between(0x10000, 0x10FFFF);
            }
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** A string without the wildcard characters and '/'. */
    String level(int max) {
        return string(max).replace('+', 'p').replace('#', 'h').replace('/', 's');
    }

    TopicName topicName() {
        int levels = between(1, 4);
        StringBuilder sb = new StringBuilder(chance(10) ? "$" : "");
        for (int i = 0; i < levels; i++) {
            if (i > 0) {
                sb.append('/');
            }
            sb.append(level(6));
        }
        if (sb.length() == 0) {
            sb.append('t');
        }
        return TopicName.of(sb.toString());
    }

    TopicFilter topicFilter(boolean v5, boolean allowShared) {
        while (true) {
            StringBuilder sb = new StringBuilder();
            if (v5 && allowShared && chance(15)) {
                sb.append("$share/").append(level(5)).append('/');
            }
            int levels = between(1, 4);
            for (int i = 0; i < levels; i++) {
                if (i > 0) {
                    sb.append('/');
                }
                if (i == levels - 1 && chance(20)) {
                    sb.append('#');
                } else {
                    sb.append(chance(25) ? "+" : level(5));
                }
            }
            String f = sb.toString();
            if (TopicFilter.problem(f, v5) == null) { // e.g. not empty, not "$share//x"
                return TopicFilter.of(f);
            }
        }
    }

    BinaryData binary(int max) {
        byte[] b = new byte[random.nextInt(max + 1)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) random.nextInt(256);
        }
        return BinaryData.of(b);
    }

    BinaryData payload() {
        int max = chance(5) ? 5000 : chance(30) ? 300 : 30;
        return binary(max);
    }

    int packetId() {
        return chance(10) ? pick(List.of(1, 0xFFFF, 0x8000, 0x00FF)) : between(1, 0xFFFF);
    }

    long u32() {
        return chance(10) ? pick(List.of(0L, 1L, 0xFFFF_FFFFL)) : random.nextLong(0x1_0000_0000L);
    }

    int reasonCode(PacketType type) {
        List<Integer> codes = new ArrayList<>();
        for (ReasonCode rc : ReasonCode.values()) {
            if (rc.packets().contains(type)) {
                codes.add(rc.value());
            }
        }
        return pick(codes);
    }

    /** A valid value of a property. */
    Property property(PropertyId id) {
        switch (id) {
            case PAYLOAD_FORMAT_INDICATOR:
            case REQUEST_PROBLEM_INFORMATION:
            case REQUEST_RESPONSE_INFORMATION:
            case MAXIMUM_QOS:
            case RETAIN_AVAILABLE:
            case WILDCARD_SUBSCRIPTION_AVAILABLE:
            case SUBSCRIPTION_IDENTIFIER_AVAILABLE:
            case SHARED_SUBSCRIPTION_AVAILABLE:
                return Property.number(id, random.nextInt(2));
            case RECEIVE_MAXIMUM:
            case TOPIC_ALIAS:
                return Property.number(id, between(1, 0xFFFF));
            case SERVER_KEEP_ALIVE:
            case TOPIC_ALIAS_MAXIMUM:
                return Property.number(id, between(0, 0xFFFF));
            case MAXIMUM_PACKET_SIZE:
                return Property.number(id, Math.max(1, u32()));
            case SUBSCRIPTION_IDENTIFIER:
                return Property.number(id, chance(20) ? pick(List.of(1, 127, 128, 16_383, 16_384, 268_435_455))
                        : between(1, 268_435_455));
            case RESPONSE_TOPIC:
                return Property.string(id, topicName().utf8());
            case CORRELATION_DATA:
            case AUTHENTICATION_DATA:
                return Property.binary(id, binary(20));
            case USER_PROPERTY:
                return Property.userProperty(new StringPair(Utf8String.of(string(8)), Utf8String.of(string(8))));
            default:
                switch (id.type()) {
                    case FOUR_BYTE_INTEGER: return Property.number(id, u32());
                    case UTF8_STRING: return Property.string(id, string(12));
                    default: throw new IllegalStateException(id.toString());
                }
        }
    }

    /**
     * Properties for a packet (or, with {@code will}, a Will): each allowed property with some
     * probability, repeatable ones up to three times, in random order.
     */
    Properties properties(PacketType type, boolean will, PacketType.Sender sender) {
        List<Property> list = new ArrayList<>();
        for (PropertyId id : PropertyId.values()) {
            boolean allowed = will ? id.allowedInWill() : id.allowedIn(type);
            if (!allowed || !chance(40)) {
                continue;
            }
            if (!will && type == PacketType.PUBLISH && id == PropertyId.SUBSCRIPTION_IDENTIFIER
                    && sender == PacketType.Sender.CLIENT) {
                continue; // MQTT-3.3.4-6: only a Server's PUBLISH carries them
            }
            if (!will && type == PacketType.DISCONNECT && id == PropertyId.SESSION_EXPIRY_INTERVAL
                    && sender == PacketType.Sender.SERVER) {
                continue; // MQTT-3.14.2-2
            }
            int copies = id == PropertyId.USER_PROPERTY || (!will && id.repeatableIn(type)) ? between(1, 3) : 1;
            for (int i = 0; i < copies; i++) {
                list.add(property(id));
            }
        }
        Collections.shuffle(list, new java.util.Random(random.nextLong()));
        return Properties.of(list);
    }

    // ---------------------------------------------------------------- packets

    /** Who may send {@code type}; a random side for packets both send. */
    PacketType.Sender sender(PacketType type, MqttVersion v) {
        boolean client = type.sentByClient();
        boolean server = type.sentByServer(v.isV5());
        if (client && server) {
            return chance(50) ? PacketType.Sender.CLIENT : PacketType.Sender.SERVER;
        }
        return client ? PacketType.Sender.CLIENT : PacketType.Sender.SERVER;
    }

    Packet packet(PacketType type, MqttVersion v, PacketType.Sender sender) {
        boolean v5 = v.isV5();
        switch (type) {
            case CONNECT: return connect(v);
            case CONNACK: {
                int code = v5 ? reasonCode(PacketType.CONNACK) : between(0, 5);
                return new Connack(code == 0 && chance(50), code, v5 ? properties(type, false, sender) : Properties.EMPTY);
            }
            case PUBLISH: {
                QoS qos = pick(List.of(QoS.values()));
                Properties props = v5 ? properties(type, false, sender) : Properties.EMPTY;
                TopicName topic = v5 && props.has(PropertyId.TOPIC_ALIAS) && chance(50) ? TopicName.EMPTY : topicName();
                return new Publish(qos != QoS.AT_MOST_ONCE && chance(30), qos, chance(30), topic,
                        qos == QoS.AT_MOST_ONCE ? 0 : packetId(), props, payload());
            }
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP: {
                if (!v5) {
                    return PubAck.of(type, packetId());
                }
                int rc = chance(40) ? 0 : reasonCode(type);
                return PubAck.of(type, packetId(), rc, chance(50) ? properties(type, false, sender) : Properties.EMPTY);
            }
            case SUBSCRIBE: {
                List<TopicSubscription> subs = new ArrayList<>();
                int n = between(1, 4);
                for (int i = 0; i < n; i++) {
                    TopicFilter f = topicFilter(v5, true);
                    QoS qos = pick(List.of(QoS.values()));
                    subs.add(v5 ? new TopicSubscription(f, qos, !f.isShared() && chance(50), chance(50), between(0, 2))
                            : new TopicSubscription(f, qos, false, false, 0));
                }
                return new Subscribe(packetId(), v5 ? properties(type, false, sender) : Properties.EMPTY, subs);
            }
            case SUBACK: {
                List<Integer> codes = new ArrayList<>();
                int n = between(1, 5);
                for (int i = 0; i < n; i++) {
                    codes.add(v5 ? reasonCode(PacketType.SUBACK) : pick(List.of(0, 1, 2, 0x80)));
                }
                return new Suback(packetId(), v5 ? properties(type, false, sender) : Properties.EMPTY, codes);
            }
            case UNSUBSCRIBE: {
                List<TopicFilter> filters = new ArrayList<>();
                int n = between(1, 4);
                for (int i = 0; i < n; i++) {
                    filters.add(topicFilter(v5, true));
                }
                return new Unsubscribe(packetId(), v5 ? properties(type, false, sender) : Properties.EMPTY, filters);
            }
            case UNSUBACK: {
                if (!v5) {
                    return new Unsuback(packetId(), Properties.EMPTY, List.of());
                }
                List<Integer> codes = new ArrayList<>();
                int n = between(1, 5);
                for (int i = 0; i < n; i++) {
                    codes.add(reasonCode(PacketType.UNSUBACK));
                }
                return new Unsuback(packetId(), properties(type, false, sender), codes);
            }
            case PINGREQ: return Pingreq.INSTANCE;
            case PINGRESP: return Pingresp.INSTANCE;
            case DISCONNECT:
                if (!v5) {
                    return Disconnect.NORMAL;
                }
                return new Disconnect(chance(30) ? 0 : reasonCode(type), chance(60) ? properties(type, false, sender) : Properties.EMPTY);
            case AUTH:
                return new Auth(chance(30) ? 0 : reasonCode(type), chance(60) ? properties(type, false, sender) : Properties.EMPTY);
            default:
                throw new IllegalStateException(type.toString());
        }
    }

    Connect connect(MqttVersion v) {
        boolean v5 = v.isV5();
        Will will = null;
        if (chance(50)) {
            will = new Will(topicName(), payload(), pick(List.of(QoS.values())), chance(50),
                    v5 ? properties(PacketType.PUBLISH, true, PacketType.Sender.CLIENT) : Properties.EMPTY);
        }
        Utf8String username = chance(50) ? Utf8String.of(string(10)) : null;
        BinaryData password = (v5 || username != null) && chance(50) ? binary(12) : null;
        return new Connect(v, Utf8String.of(string(23)), chance(50), between(0, 0xFFFF),
                v5 ? properties(PacketType.CONNECT, false, PacketType.Sender.CLIENT) : Properties.EMPTY,
                will, username, password);
    }
}
