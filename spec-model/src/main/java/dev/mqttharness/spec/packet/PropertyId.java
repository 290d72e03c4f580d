package dev.mqttharness.spec.packet;

import static dev.mqttharness.spec.packet.PacketType.AUTH;
import static dev.mqttharness.spec.packet.PacketType.CONNACK;
import static dev.mqttharness.spec.packet.PacketType.CONNECT;
import static dev.mqttharness.spec.packet.PacketType.DISCONNECT;
import static dev.mqttharness.spec.packet.PacketType.PUBACK;
import static dev.mqttharness.spec.packet.PacketType.PUBCOMP;
import static dev.mqttharness.spec.packet.PacketType.PUBLISH;
import static dev.mqttharness.spec.packet.PacketType.PUBREC;
import static dev.mqttharness.spec.packet.PacketType.PUBREL;
import static dev.mqttharness.spec.packet.PacketType.SUBACK;
import static dev.mqttharness.spec.packet.PacketType.SUBSCRIBE;
import static dev.mqttharness.spec.packet.PacketType.UNSUBACK;
import static dev.mqttharness.spec.packet.PacketType.UNSUBSCRIBE;
import static dev.mqttharness.spec.packet.PropertyType.BINARY_DATA;
import static dev.mqttharness.spec.packet.PropertyType.BYTE;
import static dev.mqttharness.spec.packet.PropertyType.FOUR_BYTE_INTEGER;
import static dev.mqttharness.spec.packet.PropertyType.TWO_BYTE_INTEGER;
import static dev.mqttharness.spec.packet.PropertyType.UTF8_STRING;
import static dev.mqttharness.spec.packet.PropertyType.UTF8_STRING_PAIR;
import static dev.mqttharness.spec.packet.PropertyType.VARIABLE_BYTE_INTEGER;

import java.util.EnumSet;
import java.util.Set;

/** The MQTT 5 properties (§2.2.2.2, Table 2-4): identifier, data type, where each may appear. */
public enum PropertyId {
    PAYLOAD_FORMAT_INDICATOR(0x01, BYTE, true, PUBLISH),
    MESSAGE_EXPIRY_INTERVAL(0x02, FOUR_BYTE_INTEGER, true, PUBLISH),
    CONTENT_TYPE(0x03, UTF8_STRING, true, PUBLISH),
    RESPONSE_TOPIC(0x08, UTF8_STRING, true, PUBLISH),
    CORRELATION_DATA(0x09, BINARY_DATA, true, PUBLISH),
    SUBSCRIPTION_IDENTIFIER(0x0B, VARIABLE_BYTE_INTEGER, false, PUBLISH, SUBSCRIBE),
    SESSION_EXPIRY_INTERVAL(0x11, FOUR_BYTE_INTEGER, false, CONNECT, CONNACK, DISCONNECT),
    ASSIGNED_CLIENT_IDENTIFIER(0x12, UTF8_STRING, false, CONNACK),
    SERVER_KEEP_ALIVE(0x13, TWO_BYTE_INTEGER, false, CONNACK),
    AUTHENTICATION_METHOD(0x15, UTF8_STRING, false, CONNECT, CONNACK, AUTH),
    AUTHENTICATION_DATA(0x16, BINARY_DATA, false, CONNECT, CONNACK, AUTH),
    REQUEST_PROBLEM_INFORMATION(0x17, BYTE, false, CONNECT),
    WILL_DELAY_INTERVAL(0x18, FOUR_BYTE_INTEGER, true),
    REQUEST_RESPONSE_INFORMATION(0x19, BYTE, false, CONNECT),
    RESPONSE_INFORMATION(0x1A, UTF8_STRING, false, CONNACK),
    SERVER_REFERENCE(0x1C, UTF8_STRING, false, CONNACK, DISCONNECT),
    REASON_STRING(0x1F, UTF8_STRING, false,
            CONNACK, PUBACK, PUBREC, PUBREL, PUBCOMP, SUBACK, UNSUBACK, DISCONNECT, AUTH),
    RECEIVE_MAXIMUM(0x21, TWO_BYTE_INTEGER, false, CONNECT, CONNACK),
    TOPIC_ALIAS_MAXIMUM(0x22, TWO_BYTE_INTEGER, false, CONNECT, CONNACK),
    TOPIC_ALIAS(0x23, TWO_BYTE_INTEGER, false, PUBLISH),
    MAXIMUM_QOS(0x24, BYTE, false, CONNACK),
    RETAIN_AVAILABLE(0x25, BYTE, false, CONNACK),
    USER_PROPERTY(0x26, UTF8_STRING_PAIR, true, CONNECT, CONNACK, PUBLISH, PUBACK, PUBREC, PUBREL, PUBCOMP,
            SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK, DISCONNECT, AUTH),
    MAXIMUM_PACKET_SIZE(0x27, FOUR_BYTE_INTEGER, false, CONNECT, CONNACK),
    WILDCARD_SUBSCRIPTION_AVAILABLE(0x28, BYTE, false, CONNACK),
    SUBSCRIPTION_IDENTIFIER_AVAILABLE(0x29, BYTE, false, CONNACK),
    SHARED_SUBSCRIPTION_AVAILABLE(0x2A, BYTE, false, CONNACK);

    private static final PropertyId[] BY_ID = new PropertyId[0x2B];

    static {
        for (PropertyId p : values()) {
            BY_ID[p.id] = p;
        }
    }

    private final int id;
    private final PropertyType type;
    private final boolean inWill;
    private final Set<PacketType> packets;

    PropertyId(int id, PropertyType type, boolean inWill, PacketType... packets) {
        this.id = id;
        this.type = type;
        this.inWill = inWill;
        this.packets = packets.length == 0 ? EnumSet.noneOf(PacketType.class) : EnumSet.of(packets[0], packets);
    }

    public int id() {
        return id;
    }

    public PropertyType type() {
        return type;
    }

    /** May appear among a CONNECT's Will Properties. */
    public boolean allowedInWill() {
        return inWill;
    }

    public Set<PacketType> packets() {
        return packets;
    }

    public boolean allowedIn(PacketType type) {
        return packets.contains(type);
    }

    /**
     * May appear more than once: User Property anywhere, Subscription Identifier in a PUBLISH a
     * Server sends (one per matching subscription, §3.3.4).
     */
    public boolean repeatableIn(PacketType packet) {
        return this == USER_PROPERTY || (this == SUBSCRIPTION_IDENTIFIER && packet == PUBLISH);
    }

    /** The property with this identifier, or null. */
    public static PropertyId fromId(int id) {
        return id > 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
