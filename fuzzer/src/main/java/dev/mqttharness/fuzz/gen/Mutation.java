package dev.mqttharness.fuzz.gen;

import static dev.mqttharness.fuzz.gen.Obligation.fail;
import static dev.mqttharness.fuzz.gen.Obligation.info;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.ByteWriter;
import dev.mqttharness.spec.codec.RawPacket;
import dev.mqttharness.spec.packet.PacketType;
import java.nio.charset.StandardCharsets;

/**
 * Malformed and out-of-place packets, each labelled per version with the statement a broker that
 * goes on processing after it breaks ({@link Obligation}). Statement IDs are those of each version's
 * catalog: they differ between 3.1.1 and 5.0.
 *
 * <p>Labelling policy (conservative). In 3.1.1, §4.8 (MQTT-4.8.0-1) requires closing on any protocol
 * violation, so a packet that breaks a sender MUST is FAIL-level; where a statement names the
 * receiver's duty itself (MQTT-1.5.3-1, -2.2.2-2, -3.3.1-4, -3.6.1-1, ...) the finding names it. In
 * 5.0 a receiver must close on a Malformed Packet or Protocol Error once it detects it
 * (MQTT-4.13.1-1), and §4.13.1 leaves the rigour of checking to the implementation, so only packets
 * whose check a statement makes mandatory (MQTT-3.1.2-3, -3.1.4-1, -3.1.0-2, -3.6.1-1, -3.8.1-1,
 * -3.8.3-5, -3.10.1-1, -3.15.1-1) are FAIL-level; the rest are INFO-level, judged only when the
 * broker shows it detected the error (a reason code) and then carried on.
 *
 * <p>Every mutation yields a complete packet whose Remaining Length matches the bytes sent, so the
 * PINGREQ that follows is never swallowed into its body.
 */
public enum Mutation {
    CONNECT_RESERVED_FLAG(Stage.CONNECT),
    CONNECT_WILL_QOS_WITHOUT_WILL(Stage.CONNECT),
    CONNECT_WILL_RETAIN_WITHOUT_WILL(Stage.CONNECT),
    CONNECT_WILL_QOS_3(Stage.CONNECT),
    CONNECT_PASSWORD_WITHOUT_USERNAME(Stage.CONNECT),
    CONNECT_BAD_UTF8(Stage.CONNECT),
    CONNECT_LENGTH_LIE(Stage.CONNECT),
    CONNECT_MISSING_FIELD(Stage.CONNECT),
    CONNECT_TRAILING_BYTES(Stage.CONNECT),
    CONNECT_BAD_PROPERTY(Stage.CONNECT),
    CONNECT_BAD_WILL_PROPERTY(Stage.CONNECT),
    CONNECT_PROTOCOL_LEVEL(Stage.CONNECT),
    FIRST_PACKET_NOT_CONNECT(Stage.FIRST),
    SECOND_CONNECT(Stage.SESSION),
    RESERVED_FLAGS(Stage.SESSION),
    PUBLISH_QOS_3(Stage.SESSION),
    PUBLISH_DUP_QOS_0(Stage.SESSION),
    RESERVED_TYPE(Stage.SESSION),
    WRONG_DIRECTION(Stage.SESSION),
    PACKET_ID_ZERO(Stage.SESSION),
    SUBSCRIBE_EMPTY(Stage.SESSION),
    UNSUBSCRIBE_EMPTY(Stage.SESSION),
    SUBSCRIBE_RESERVED_OPTIONS(Stage.SESSION),
    SUBSCRIBE_QOS_3(Stage.SESSION),
    SUBSCRIBE_RETAIN_HANDLING_3(Stage.SESSION),
    SUBSCRIBE_NO_LOCAL_SHARED(Stage.SESSION),
    BAD_UTF8(Stage.SESSION),
    TOPIC_WILDCARD(Stage.SESSION),
    TOPIC_EMPTY(Stage.SESSION),
    FILTER_INVALID(Stage.SESSION),
    LENGTH_LIE(Stage.SESSION),
    REMAINING_LENGTH_OVERLONG(Stage.SESSION),
    REMAINING_LENGTH_NOT_MINIMAL(Stage.SESSION),
    TRAILING_BYTES(Stage.SESSION),
    BAD_PROPERTY(Stage.SESSION),
    AUTH_WITHOUT_METHOD(Stage.SESSION),
    DISCONNECT_BAD_REASON(Stage.SESSION);

    /** Where the mutation goes. */
    public enum Stage {
        /** Replaces the CONNECT on a new connection. */
        CONNECT,
        /** Sent before any CONNECT on a new connection. */
        FIRST,
        /** Sent on a connected client. */
        SESSION
    }

    /** What the builder needs: the version, the case's names and a packet identifier. */
    public record Context(MqttVersion version, String clientId, String topicPrefix, int packetId) {
        byte[] topic(String relative) {
            return (topicPrefix + relative).getBytes(StandardCharsets.UTF_8);
        }
    }

    private static final String[] UTF8_PROBLEMS = {
        "a lone continuation byte 0x80", "an encoded surrogate ED A0 80", "the byte 0xFF",
        "a truncated sequence E2 82", "an overlong encoding C0 AF", "U+0000"};
    private static final String[] CONNECT_UTF8_FIELDS = {"Client Identifier", "Will Topic", "User Name"};
    private static final String[] UTF8_FIELDS = {"PUBLISH Topic Name", "SUBSCRIBE Topic Filter",
        "UNSUBSCRIBE Topic Filter", "PUBLISH User Property name", "PUBLISH Content Type"};
    private static final PacketType[] FLAG_TYPES = {PacketType.SUBSCRIBE, PacketType.UNSUBSCRIBE, PacketType.PUBREL,
        PacketType.PINGREQ, PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBCOMP, PacketType.DISCONNECT, PacketType.AUTH};
    private static final String[] CONNECT_PROPERTY_PROBLEMS = {
        "Session Expiry Interval twice", "Receive Maximum twice", "Topic Alias (not allowed in CONNECT)",
        "Subscription Identifier (not allowed in CONNECT)", "Receive Maximum 0", "Maximum Packet Size 0",
        "Request Problem Information 2", "Request Response Information 2", "unknown property identifier 0x7F",
        "Property Length longer than the properties"};
    private static final String[] WILL_PROPERTY_PROBLEMS = {
        "Session Expiry Interval among the Will Properties", "Will Delay Interval twice",
        "Content Type twice in the Will Properties"};
    private static final String[] PROPERTY_PROBLEMS = {
        "PUBLISH with Payload Format Indicator twice", "PUBLISH with Message Expiry Interval twice",
        "PUBLISH from a client with a Subscription Identifier", "PUBLISH with a Session Expiry Interval",
        "SUBSCRIBE with two Subscription Identifiers", "SUBSCRIBE with Subscription Identifier 0",
        "PUBLISH with Topic Alias 0", "PUBLISH with an empty topic and an unmapped Topic Alias",
        "PUBLISH with an unknown property identifier 0x7F", "PUBLISH with Topic Alias twice",
        "PUBLISH with a Response Topic holding a wildcard", "PUBACK with a Topic Alias property"};

    private final Stage stage;

    Mutation(Stage stage) {
        this.stage = stage;
    }

    public Stage stage() {
        return stage;
    }

    /** How many variants exist in {@code v}; 0 when the mutation does not apply to that version. */
    public int variants(MqttVersion v) {
        boolean v5 = v.isV5();
        switch (this) {
            case CONNECT_WILL_QOS_WITHOUT_WILL: return 2;
            case CONNECT_PASSWORD_WITHOUT_USERNAME: return v5 ? 0 : 1; // allowed in 5.0
            case CONNECT_BAD_UTF8: return CONNECT_UTF8_FIELDS.length * UTF8_PROBLEMS.length;
            case CONNECT_LENGTH_LIE: return 4;
            case CONNECT_MISSING_FIELD: return 3;
            case CONNECT_TRAILING_BYTES: return 3;
            case CONNECT_BAD_PROPERTY: return v5 ? CONNECT_PROPERTY_PROBLEMS.length : 0;
            case CONNECT_BAD_WILL_PROPERTY: return v5 ? WILL_PROPERTY_PROBLEMS.length : 0;
            case CONNECT_PROTOCOL_LEVEL: return 4;
            case FIRST_PACKET_NOT_CONNECT: return 3;
            case RESERVED_FLAGS: return (v5 ? FLAG_TYPES.length : FLAG_TYPES.length - 1) * 3;
            case RESERVED_TYPE: return v5 ? 1 : 2;
            case WRONG_DIRECTION: return 4;
            case PACKET_ID_ZERO: return 4;
            case SUBSCRIBE_RESERVED_OPTIONS: return v5 ? 3 : 4;
            case SUBSCRIBE_RETAIN_HANDLING_3:
            case SUBSCRIBE_NO_LOCAL_SHARED:
            case AUTH_WITHOUT_METHOD:
                return v5 ? 1 : 0;
            case DISCONNECT_BAD_REASON: return v5 ? 2 : 0;
            case BAD_UTF8: return (v5 ? UTF8_FIELDS.length : 3) * UTF8_PROBLEMS.length;
            case TOPIC_WILDCARD: return 3;
            case TOPIC_EMPTY: return 2;
            case FILTER_INVALID: return 5;
            case LENGTH_LIE: return v5 ? 6 : 5;
            case REMAINING_LENGTH_OVERLONG: return 2;
            case REMAINING_LENGTH_NOT_MINIMAL: return 3;
            case TRAILING_BYTES: return v5 ? 3 : 5;
            case BAD_PROPERTY: return v5 ? PROPERTY_PROBLEMS.length : 0;
            default: return 1;
        }
    }

    /** True if our decoder cannot judge the bytes alone (they are wrong only in the connection's state). */
    public boolean stateful() {
        return this == SECOND_CONNECT || this == AUTH_WITHOUT_METHOD
                || (this == BAD_PROPERTY) /* topic alias state */;
    }

    /** 3.1.1 and 5.0 define a failure code in SUBACK: refusing the filter there is as good as closing. */
    public boolean subackFailureAllowed() {
        return this == FILTER_INVALID;
    }

    public String describe(int variant) {
        switch (this) {
            case CONNECT_RESERVED_FLAG: return "CONNECT with the reserved Connect Flags bit 0 set";
            case CONNECT_WILL_QOS_WITHOUT_WILL: return "CONNECT with Will QoS " + (variant + 1) + " but Will Flag 0";
            case CONNECT_WILL_RETAIN_WITHOUT_WILL: return "CONNECT with Will Retain 1 but Will Flag 0";
            case CONNECT_WILL_QOS_3: return "CONNECT with Will QoS 3";
            case CONNECT_PASSWORD_WITHOUT_USERNAME: return "CONNECT with Password Flag 1 and User Name Flag 0";
            case CONNECT_BAD_UTF8:
                return "CONNECT whose " + CONNECT_UTF8_FIELDS[variant / UTF8_PROBLEMS.length] + " holds "
                        + UTF8_PROBLEMS[variant % UTF8_PROBLEMS.length];
            case CONNECT_LENGTH_LIE:
                return new String[] {"CONNECT whose Client Identifier length runs past the packet",
                    "CONNECT whose Will Payload length runs past the packet",
                    "CONNECT whose User Name length runs past the packet",
                    "CONNECT cut short inside the Protocol Name"}[variant];
            case CONNECT_MISSING_FIELD:
                return new String[] {"CONNECT with User Name Flag 1 but no User Name",
                    "CONNECT with Will Flag 1 but no Will Topic or Will Payload",
                    "CONNECT with Password Flag 1 but no Password"}[variant];
            case CONNECT_TRAILING_BYTES: return "CONNECT with " + (variant + 1) + " byte(s) after the payload";
            case CONNECT_BAD_PROPERTY: return "CONNECT with " + CONNECT_PROPERTY_PROBLEMS[variant];
            case CONNECT_BAD_WILL_PROPERTY: return "CONNECT with " + WILL_PROPERTY_PROBLEMS[variant];
            case CONNECT_PROTOCOL_LEVEL: return "CONNECT with Protocol Level " + new int[] {0, 2, 6, 255}[variant];
            case FIRST_PACKET_NOT_CONNECT:
                return new String[] {"PINGREQ", "PUBLISH", "SUBSCRIBE"}[variant] + " as the first packet, before CONNECT";
            case SECOND_CONNECT: return "a second CONNECT on the same connection";
            case RESERVED_FLAGS: {
                PacketType t = FLAG_TYPES[variant / 3];
                return t + " with fixed-header flags " + bits(flagValue(t, variant % 3)) + " (must be "
                        + bits(t.requiredFlags()) + ")";
            }
            case PUBLISH_QOS_3: return "PUBLISH with QoS 3 (both QoS bits set)";
            case PUBLISH_DUP_QOS_0: return "PUBLISH with QoS 0 and DUP 1";
            case RESERVED_TYPE: return "a packet of the reserved type " + (variant == 0 ? 0 : 15);
            case WRONG_DIRECTION:
                return new String[] {"CONNACK", "SUBACK", "UNSUBACK", "PINGRESP"}[variant] + " sent by the client";
            case PACKET_ID_ZERO:
                return new String[] {"PUBLISH QoS 1", "PUBLISH QoS 2", "SUBSCRIBE", "UNSUBSCRIBE"}[variant]
                        + " with Packet Identifier 0";
            case SUBSCRIBE_EMPTY: return "SUBSCRIBE without any Topic Filter";
            case UNSUBSCRIBE_EMPTY: return "UNSUBSCRIBE without any Topic Filter";
            case SUBSCRIBE_RESERVED_OPTIONS:
                return String.format("SUBSCRIBE with reserved bits set in the options byte (0x%02X in 3.1.1, 0x%02X in 5.0)",
                        optionsByte(variant, false), optionsByte(Math.min(variant, 2), true));
            case SUBSCRIBE_QOS_3: return "SUBSCRIBE requesting QoS 3";
            case SUBSCRIBE_RETAIN_HANDLING_3: return "SUBSCRIBE with Retain Handling 3";
            case SUBSCRIBE_NO_LOCAL_SHARED: return "SUBSCRIBE with No Local 1 on a Shared Subscription";
            case BAD_UTF8:
                return UTF8_FIELDS[variant / UTF8_PROBLEMS.length] + " holding " + UTF8_PROBLEMS[variant % UTF8_PROBLEMS.length];
            case TOPIC_WILDCARD:
                return "PUBLISH to a Topic Name with " + new String[] {"'+'", "'#'", "'+' inside a level"}[variant];
            case TOPIC_EMPTY: return "PUBLISH QoS " + variant + " with an empty Topic Name (no Topic Alias)";
            case FILTER_INVALID:
                return "SUBSCRIBE to the invalid Topic Filter " + new String[] {"'a#'", "'#/b'", "'a+'", "'+a'", "'' (empty)"}[variant];
            case LENGTH_LIE:
                return new String[] {"PUBLISH whose Topic Name length runs past the packet",
                    "SUBSCRIBE whose Topic Filter length runs past the packet",
                    "UNSUBSCRIBE whose Topic Filter length runs past the packet",
                    "PUBACK with Remaining Length 1 (Packet Identifier cut)",
                    "PUBLISH QoS 1 cut before its Packet Identifier",
                    "PUBLISH whose Property Length runs past the packet"}[variant];
            case REMAINING_LENGTH_OVERLONG: return (variant == 0 ? "PINGREQ" : "PUBLISH") + " with a five-byte Remaining Length";
            case REMAINING_LENGTH_NOT_MINIMAL:
                return new String[] {"PINGREQ with Remaining Length 0 written in two bytes",
                    "PUBLISH with its Remaining Length padded to three bytes",
                    "PUBLISH with its Remaining Length padded to four bytes"}[variant];
            case TRAILING_BYTES:
                return new String[] {"SUBSCRIBE with one stray byte after the last option",
                    "UNSUBSCRIBE with one stray byte after the last filter", "PINGREQ with a one-byte body",
                    "DISCONNECT with a one-byte body", "PUBACK with Remaining Length 3"}[variant];
            case BAD_PROPERTY: return PROPERTY_PROBLEMS[variant];
            case AUTH_WITHOUT_METHOD: return "AUTH although CONNECT had no Authentication Method";
            case DISCONNECT_BAD_REASON: return String.format("DISCONNECT with reason code 0x%02X (not a DISCONNECT code)", variant == 0 ? 0x05 : 0x7F);
            default: return name();
        }
    }

    /**
     * The family a variant belongs to, for deduplicating findings: variants that differ only in a
     * byte value (which ill-formed UTF-8 sequence, which flag value) are one finding.
     */
    public String family(int variant) {
        switch (this) {
            case CONNECT_BAD_UTF8:
                return "CONNECT with " + (variant % UTF8_PROBLEMS.length == 5 ? "U+0000" : "ill-formed UTF-8") + " in the "
                        + CONNECT_UTF8_FIELDS[variant / UTF8_PROBLEMS.length];
            case BAD_UTF8:
                return (variant % UTF8_PROBLEMS.length == 5 ? "U+0000" : "ill-formed UTF-8") + " in the "
                        + UTF8_FIELDS[variant / UTF8_PROBLEMS.length];
            case RESERVED_FLAGS:
                return FLAG_TYPES[variant / 3] + " with invalid fixed-header flags";
            case CONNECT_WILL_QOS_WITHOUT_WILL:
                return "CONNECT with Will QoS set but Will Flag 0";
            case SUBSCRIBE_RESERVED_OPTIONS:
                return "SUBSCRIBE with reserved bits set in the options byte";
            case CONNECT_TRAILING_BYTES:
                return "CONNECT with bytes after the payload";
            case REMAINING_LENGTH_NOT_MINIMAL:
                return "Remaining Length not in the fewest bytes";
            case FILTER_INVALID:
                return variant == 4 ? "SUBSCRIBE to an empty Topic Filter" : "SUBSCRIBE to a Topic Filter with a misplaced wildcard";
            case TOPIC_WILDCARD:
                return "PUBLISH to a Topic Name with a wildcard";
            case TOPIC_EMPTY:
                return "PUBLISH with an empty Topic Name";
            default:
                return describe(variant);
        }
    }

    /** The statement a broker that carries on after these bytes breaks in {@code v}, and how firmly. */
    public Obligation obligation(MqttVersion v, int variant) {
        boolean v5 = v.isV5();
        switch (this) {
            case CONNECT_RESERVED_FLAG:
                return fail("MQTT-3.1.2-3", "MQTT-3.1.4-1");
            case CONNECT_WILL_QOS_WITHOUT_WILL:
                return v5 ? fail("MQTT-3.1.4-1", "MQTT-3.1.2-11") : fail("MQTT-3.1.4-1", "MQTT-3.1.2-13", "MQTT-3.1.2-11");
            case CONNECT_WILL_RETAIN_WITHOUT_WILL:
                return v5 ? fail("MQTT-3.1.4-1", "MQTT-3.1.2-13") : fail("MQTT-3.1.4-1", "MQTT-3.1.2-15", "MQTT-3.1.2-11");
            case CONNECT_WILL_QOS_3:
                return v5 ? fail("MQTT-3.1.4-1", "§3.1.2.6") : fail("MQTT-3.1.4-1", "MQTT-3.1.2-14");
            case CONNECT_PASSWORD_WITHOUT_USERNAME:
                return fail("MQTT-3.1.4-1", "MQTT-3.1.2-22");
            case CONNECT_BAD_UTF8: {
                int field = variant / UTF8_PROBLEMS.length;
                boolean nul = variant % UTF8_PROBLEMS.length == 5;
                if (v5) {
                    String rule = new String[] {"MQTT-3.1.3-4", "MQTT-3.1.3-11", "MQTT-3.1.3-12"}[field];
                    return fail("MQTT-3.1.4-1", rule, nul ? "MQTT-1.5.4-2" : "MQTT-1.5.4-1");
                }
                String rule = new String[] {"MQTT-3.1.3-4", "MQTT-3.1.3-10", "MQTT-3.1.3-11"}[field];
                return fail(nul ? "MQTT-1.5.3-2" : "MQTT-1.5.3-1", rule, "MQTT-3.1.4-1");
            }
            case CONNECT_LENGTH_LIE:
            case CONNECT_TRAILING_BYTES:
                return fail("MQTT-3.1.4-1", "§3.1");
            case CONNECT_MISSING_FIELD: {
                String rule = v5 ? new String[] {"MQTT-3.1.2-17", "MQTT-3.1.2-9", "MQTT-3.1.2-19"}[variant]
                        : new String[] {"MQTT-3.1.2-19", "MQTT-3.1.2-9", "MQTT-3.1.2-21"}[variant];
                return fail("MQTT-3.1.4-1", rule);
            }
            case CONNECT_BAD_PROPERTY:
                return fail("MQTT-3.1.4-1", "§3.1.2.11", "§2.2.2.2");
            case CONNECT_BAD_WILL_PROPERTY:
                return fail("MQTT-3.1.4-1", "§3.1.3.2", "§2.2.2.2");
            case CONNECT_PROTOCOL_LEVEL:
                return fail("MQTT-3.1.2-2", "§3.1.2.2");
            case FIRST_PACKET_NOT_CONNECT:
                return v5 ? info("MQTT-4.13.1-1", "MQTT-3.1.0-1") : fail("MQTT-4.8.0-1", "MQTT-3.1.0-1");
            case SECOND_CONNECT:
                return fail("MQTT-3.1.0-2");
            case RESERVED_FLAGS: {
                PacketType t = FLAG_TYPES[variant / 3];
                switch (t) {
                    case SUBSCRIBE: return fail("MQTT-3.8.1-1", v5 ? "MQTT-2.1.3-1" : "MQTT-2.2.2-1");
                    case UNSUBSCRIBE: return fail("MQTT-3.10.1-1", v5 ? "MQTT-2.1.3-1" : "MQTT-2.2.2-1");
                    case PUBREL: return fail("MQTT-3.6.1-1", v5 ? "MQTT-2.1.3-1" : "MQTT-2.2.2-1");
                    case AUTH: return fail("MQTT-3.15.1-1", "MQTT-2.1.3-1");
                    case DISCONNECT: return v5 ? info("MQTT-3.14.1-1", "MQTT-2.1.3-1") : fail("MQTT-3.14.1-1", "MQTT-2.2.2-1");
                    default: return v5 ? info("MQTT-4.13.1-1", "MQTT-2.1.3-1") : fail("MQTT-2.2.2-2", "MQTT-2.2.2-1");
                }
            }
            case PUBLISH_QOS_3:
                return v5 ? info("MQTT-4.13.1-1", "MQTT-3.3.1-4") : fail("MQTT-3.3.1-4");
            case PUBLISH_DUP_QOS_0:
                return v5 ? info("MQTT-4.13.1-1", "MQTT-3.3.1-2") : fail("MQTT-4.8.0-1", "MQTT-3.3.1-2");
            case RESERVED_TYPE:
                return v5 ? info("MQTT-4.13.1-1", "§2.1.2") : fail("MQTT-4.8.0-1", "§2.2.1");
            case WRONG_DIRECTION:
                return v5 ? info("MQTT-4.13.1-1", "§2.1.2") : fail("MQTT-4.8.0-1", "§2.2.1");
            case PACKET_ID_ZERO:
                return v5 ? info("MQTT-4.13.1-1", "MQTT-2.2.1-3") : fail("MQTT-4.8.0-1", "MQTT-2.3.1-1");
            case SUBSCRIBE_EMPTY:
                return v5 ? info("MQTT-4.13.1-1", "MQTT-3.8.3-2") : fail("MQTT-3.8.3-3", "MQTT-4.8.0-1");
            case UNSUBSCRIBE_EMPTY:
                return v5 ? info("MQTT-4.13.1-1", "MQTT-3.10.3-2") : fail("MQTT-3.10.3-2", "MQTT-4.8.0-1");
            case SUBSCRIBE_RESERVED_OPTIONS:
                return v5 ? fail("MQTT-3.8.3-5") : fail("MQTT-3.8.3-4");
            case SUBSCRIBE_QOS_3:
                return v5 ? info("MQTT-4.13.1-1", "§3.8.3.1") : fail("MQTT-3.8.3-4");
            case SUBSCRIBE_RETAIN_HANDLING_3:
                return info("MQTT-4.13.1-1", "§3.8.3.1");
            case SUBSCRIBE_NO_LOCAL_SHARED:
                return info("MQTT-4.13.1-1", "MQTT-3.8.3-4");
            case BAD_UTF8: {
                boolean nul = variant % UTF8_PROBLEMS.length == 5;
                int field = variant / UTF8_PROBLEMS.length;
                if (v5) {
                    String rule = field == 3 ? "MQTT-1.5.7-1" : field == 4 ? "MQTT-3.3.2-19" : nul ? "MQTT-1.5.4-2" : "MQTT-1.5.4-1";
                    return info("MQTT-4.13.1-1", rule);
                }
                String rule = new String[] {"MQTT-3.3.2-1", "MQTT-3.8.3-1", "MQTT-3.10.3-1"}[field];
                return fail(nul ? "MQTT-1.5.3-2" : "MQTT-1.5.3-1", rule);
            }
            case TOPIC_WILDCARD:
                return v5 ? info("MQTT-4.13.1-1", "MQTT-3.3.2-2") : fail("MQTT-4.8.0-1", "MQTT-3.3.2-2", "MQTT-4.7.1-1");
            case TOPIC_EMPTY:
                return v5 ? info("MQTT-4.13.1-1", "§3.3.2.1") : fail("MQTT-4.8.0-1", "MQTT-4.7.3-1");
            case FILTER_INVALID: {
                String rule = variant == 4 ? "MQTT-4.7.3-1" : variant < 2 ? (v5 ? "MQTT-4.7.1-1" : "MQTT-4.7.1-2")
                        : (v5 ? "MQTT-4.7.1-2" : "MQTT-4.7.1-3");
                return v5 ? info("MQTT-4.13.1-1", rule) : fail("MQTT-4.8.0-1", rule);
            }
            case LENGTH_LIE:
                return v5 ? info("MQTT-4.13.1-1", "§1.2") : fail("MQTT-4.8.0-1", "§2.2.3");
            case REMAINING_LENGTH_OVERLONG:
                return v5 ? info("MQTT-4.13.1-1", "§1.5.5") : fail("MQTT-4.8.0-1", "§2.2.3");
            case REMAINING_LENGTH_NOT_MINIMAL:
                // 3.1.1 has no minimum-bytes rule; 5.0's binds the sender (MQTT-1.5.5-1)
                return v5 ? info("MQTT-4.13.1-1", "MQTT-1.5.5-1") : info("MQTT-4.8.0-1", "§2.2.3");
            case TRAILING_BYTES:
                if (variant < 2) {
                    // the stray byte starts a field that cannot be read: the packet cannot be parsed
                    return v5 ? info("MQTT-4.13.1-1", "§1.2") : fail("MQTT-4.8.0-1", variant == 0 ? "§3.8.3" : "§3.10.3");
                }
                return v5 ? info("MQTT-4.13.1-1", "§1.2") : info("MQTT-4.8.0-1", variant == 2 ? "§3.12" : variant == 3 ? "§3.14" : "§3.4.1");
            case BAD_PROPERTY:
                return info("MQTT-4.13.1-1", "§2.2.2.2");
            case AUTH_WITHOUT_METHOD:
                return info("MQTT-4.13.1-1", "MQTT-4.12.0-7");
            case DISCONNECT_BAD_REASON:
                return info("MQTT-4.13.1-1", "MQTT-3.14.2-1");
            default:
                throw new IllegalStateException(name());
        }
    }

    /** The bytes of this mutation. */
    public byte[] build(Context ctx, int variant) {
        MqttVersion v = ctx.version();
        boolean v5 = v.isV5();
        int id = ctx.packetId();
        switch (this) {
            case CONNECT_RESERVED_FLAG: {
                RawConnect c = new RawConnect(v, ctx.clientId());
                c.flagsXor = 0x01;
                return c.toBytes();
            }
            case CONNECT_WILL_QOS_WITHOUT_WILL: {
                RawConnect c = new RawConnect(v, ctx.clientId());
                c.flagsXor = (variant + 1) << 3;
                return c.toBytes();
            }
            case CONNECT_WILL_RETAIN_WITHOUT_WILL: {
                RawConnect c = new RawConnect(v, ctx.clientId());
                c.flagsXor = 0x20;
                return c.toBytes();
            }
            case CONNECT_WILL_QOS_3:
                return new RawConnect(v, ctx.clientId()).will(ctx.topicPrefix() + "will", "w", 3).toBytes();
            case CONNECT_PASSWORD_WITHOUT_USERNAME: {
                RawConnect c = new RawConnect(v, ctx.clientId());
                c.password = "secret".getBytes(StandardCharsets.US_ASCII);
                return c.toBytes();
            }
            case CONNECT_BAD_UTF8: {
                int field = variant / UTF8_PROBLEMS.length;
                byte[] bad = badUtf8(variant % UTF8_PROBLEMS.length);
                RawConnect c = new RawConnect(v, ctx.clientId());
                if (field == 0) {
                    c.clientId = concat(ctx.clientId().substring(0, 8).getBytes(StandardCharsets.US_ASCII), bad);
                } else if (field == 1) {
                    c.will(ctx.topicPrefix() + "will", "w", 0);
                    c.willTopic = concat(ctx.topic("will"), bad);
                } else {
                    c.username = concat("user".getBytes(StandardCharsets.US_ASCII), bad);
                }
                return c.toBytes();
            }
            case CONNECT_LENGTH_LIE: {
                RawConnect c = new RawConnect(v, ctx.clientId());
                if (variant == 0) {
                    c.lengthLie = "clientId";
                } else if (variant == 1) {
                    c.will(ctx.topicPrefix() + "will", "payload", 0);
                    c.lengthLie = "willPayload";
                } else if (variant == 2) {
                    c.username = "user".getBytes(StandardCharsets.US_ASCII);
                    c.lengthLie = "username";
                } else {
                    c.cutAt = 4; // inside "MQTT"
                }
                return c.toBytes();
            }
            case CONNECT_MISSING_FIELD: {
                RawConnect c = new RawConnect(v, ctx.clientId());
                if (variant == 0) {
                    c.flagsXor = 0x80;
                } else if (variant == 1) {
                    c.flagsXor = 0x04;
                } else {
                    c.username = "user".getBytes(StandardCharsets.US_ASCII);
                    c.flagsXor = 0x40;
                }
                return c.toBytes();
            }
            case CONNECT_TRAILING_BYTES: {
                RawConnect c = new RawConnect(v, ctx.clientId());
                c.trailing = new byte[variant + 1];
                return c.toBytes();
            }
            case CONNECT_BAD_PROPERTY: {
                RawConnect c = new RawConnect(v, ctx.clientId());
                ByteWriter p = new ByteWriter();
                switch (variant) {
                    case 0: p.u8(0x11).u32(10).u8(0x11).u32(10); break;
                    case 1: p.u8(0x21).u16(10).u8(0x21).u16(10); break;
                    case 2: p.u8(0x23).u16(1); break;
                    case 3: p.u8(0x0B).vbi(1); break;
                    case 4: p.u8(0x21).u16(0); break;
                    case 5: p.u8(0x27).u32(0); break;
                    case 6: p.u8(0x17).u8(2); break;
                    case 7: p.u8(0x19).u8(2); break;
                    case 8: p.u8(0x7F).u8(0); break;
                    default: {
                        // Property Length 20 but nothing after it: it runs into (and past) the payload
                        RawConnect d = new RawConnect(v, "");
                        d.properties = new byte[0];
                        byte[] b = d.toBytes();
                        byte[] body = RawPacket.bodyOf(b);
                        body[10] = 20; // the Property Length byte follows name(6) level(1) flags(1) keepalive(2)
                        return RawPacket.withBody(b, body);
                    }
                }
                c.properties = p.toByteArray();
                return c.toBytes();
            }
            case CONNECT_BAD_WILL_PROPERTY: {
                RawConnect c = new RawConnect(v, ctx.clientId()).will(ctx.topicPrefix() + "will", "w", 0);
                ByteWriter p = new ByteWriter();
                switch (variant) {
                    case 0: p.u8(0x11).u32(10); break;
                    case 1: p.u8(0x18).u32(1).u8(0x18).u32(1); break;
                    default: p.u8(0x03).utf8("a").u8(0x03).utf8("b"); break;
                }
                c.willProperties = p.toByteArray();
                return c.toBytes();
            }
            case CONNECT_PROTOCOL_LEVEL: {
                RawConnect c = new RawConnect(v.isV5() ? MqttVersion.V3_1_1 : v, ctx.clientId());
                c.level = new int[] {0, 2, 6, 255}[variant];
                return c.toBytes();
            }
            case FIRST_PACKET_NOT_CONNECT:
                if (variant == 0) {
                    return new byte[] {(byte) 0xC0, 0};
                }
                return variant == 1 ? publish(ctx, ctx.topic("early"), 0, 0, 0, new byte[0]) : subscribe(ctx, id, ctx.topic("early"), 0, 0x02);
            case SECOND_CONNECT:
                return new RawConnect(v, ctx.clientId()).toBytes();
            case RESERVED_FLAGS: {
                PacketType t = FLAG_TYPES[variant / 3];
                int flags = flagValue(t, variant % 3);
                byte[] valid;
                switch (t) {
                    case SUBSCRIBE: valid = subscribe(ctx, id, ctx.topic("flags"), 0, 0x02); break;
                    case UNSUBSCRIBE: valid = unsubscribe(ctx, id, ctx.topic("flags"), 0x02); break;
                    case PINGREQ: valid = new byte[] {(byte) 0xC0, 0}; break;
                    case DISCONNECT: valid = new byte[] {(byte) 0xE0, 0}; break;
                    case AUTH: valid = RawPacket.of(PacketType.AUTH).body(new ByteWriter().u8(0x18)
                            .vbi(3).u8(0x15).utf8("x")).toBytes(); break;
                    default: valid = RawPacket.of(t).body(new ByteWriter().u16(id)).toBytes(); break;
                }
                return RawPacket.withFlags(valid, flags);
            }
            case PUBLISH_QOS_3:
                return publish(ctx, ctx.topic("q3"), 3, 0, id, "x".getBytes(StandardCharsets.US_ASCII));
            case PUBLISH_DUP_QOS_0:
                return publish(ctx, ctx.topic("dup0"), 0, 0x08, 0, "x".getBytes(StandardCharsets.US_ASCII));
            case RESERVED_TYPE:
                return new byte[] {(byte) (variant == 0 ? 0x00 : 0xF0), 0};
            case WRONG_DIRECTION:
                switch (variant) {
                    case 0: return v5 ? new byte[] {0x20, 3, 0, 0, 0} : new byte[] {0x20, 2, 0, 0};
                    case 1: return v5 ? new byte[] {(byte) 0x90, 4, (byte) (id >> 8), (byte) id, 0, 0}
                            : new byte[] {(byte) 0x90, 3, (byte) (id >> 8), (byte) id, 0};
                    case 2: return v5 ? new byte[] {(byte) 0xB0, 4, (byte) (id >> 8), (byte) id, 0, 0}
                            : new byte[] {(byte) 0xB0, 2, (byte) (id >> 8), (byte) id};
                    default: return new byte[] {(byte) 0xD0, 0};
                }
            case PACKET_ID_ZERO:
                switch (variant) {
                    case 0: return publish(ctx, ctx.topic("id0"), 1, 0, 0, "x".getBytes(StandardCharsets.US_ASCII));
                    case 1: return publish(ctx, ctx.topic("id0"), 2, 0, 0, "x".getBytes(StandardCharsets.US_ASCII));
                    case 2: return subscribe(ctx, 0, ctx.topic("id0"), 0, 0x02);
                    default: return unsubscribe(ctx, 0, ctx.topic("id0"), 0x02);
                }
            case SUBSCRIBE_EMPTY: {
                ByteWriter w = new ByteWriter().u16(id);
                if (v5) {
                    w.vbi(0);
                }
                return RawPacket.of(PacketType.SUBSCRIBE).body(w).toBytes();
            }
            case UNSUBSCRIBE_EMPTY: {
                ByteWriter w = new ByteWriter().u16(id);
                if (v5) {
                    w.vbi(0);
                }
                return RawPacket.of(PacketType.UNSUBSCRIBE).body(w).toBytes();
            }
            case SUBSCRIBE_RESERVED_OPTIONS:
                return subscribe(ctx, id, ctx.topic("opts"), optionsByte(variant, v5), 0x02);
            case SUBSCRIBE_QOS_3:
                return subscribe(ctx, id, ctx.topic("q3"), 0x03, 0x02);
            case SUBSCRIBE_RETAIN_HANDLING_3:
                return subscribe(ctx, id, ctx.topic("rh3"), 0x30, 0x02);
            case SUBSCRIBE_NO_LOCAL_SHARED:
                return subscribe(ctx, id, ("$share/g/" + ctx.topicPrefix() + "nl").getBytes(StandardCharsets.UTF_8), 0x04, 0x02);
            case BAD_UTF8: {
                int field = variant / UTF8_PROBLEMS.length;
                byte[] bad = badUtf8(variant % UTF8_PROBLEMS.length);
                byte[] text = concat(ctx.topic("u"), bad);
                switch (field) {
                    case 0: return publish(ctx, text, 0, 0, 0, "x".getBytes(StandardCharsets.US_ASCII));
                    case 1: return subscribe(ctx, id, text, 0, 0x02);
                    case 2: return unsubscribe(ctx, id, text, 0x02);
                    case 3: {
                        byte[] props = new ByteWriter().u8(0x26).lengthPrefixed(concat("k".getBytes(StandardCharsets.US_ASCII), bad))
                                .utf8("v").toByteArray();
                        return publishWithProps(ctx, ctx.topic("u"), 0, 0, props, "x".getBytes(StandardCharsets.US_ASCII));
                    }
                    default: {
                        byte[] props = new ByteWriter().u8(0x03).lengthPrefixed(concat("text/".getBytes(StandardCharsets.US_ASCII), bad))
                                .toByteArray();
                        return publishWithProps(ctx, ctx.topic("u"), 0, 0, props, "x".getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
            case TOPIC_WILDCARD:
                return publish(ctx, ctx.topic(new String[] {"a/+", "a/#", "a+b"}[variant]), 0, 0, 0, "x".getBytes(StandardCharsets.US_ASCII));
            case TOPIC_EMPTY:
                return publish(ctx, new byte[0], variant, 0, variant == 0 ? 0 : id, "x".getBytes(StandardCharsets.US_ASCII));
            case FILTER_INVALID: {
                byte[] filter = variant == 4 ? new byte[0] : ctx.topic(new String[] {"a#", "#/b", "a+", "+a"}[variant]);
                return subscribe(ctx, id, filter, 1, 0x02);
            }
            case LENGTH_LIE:
                switch (variant) {
                    case 0: {
                        byte[] topic = ctx.topic("lie");
                        ByteWriter w = new ByteWriter().u16(topic.length + 40).bytes(topic);
                        return RawPacket.of(PacketType.PUBLISH).body(w).toBytes();
                    }
                    case 1: {
                        byte[] f = ctx.topic("lie");
                        ByteWriter w = new ByteWriter().u16(id);
                        if (v5) {
                            w.vbi(0);
                        }
                        w.u16(f.length + 40).bytes(f);
                        return RawPacket.of(PacketType.SUBSCRIBE).flags(0x02).body(w).toBytes();
                    }
                    case 2: {
                        byte[] f = ctx.topic("lie");
                        ByteWriter w = new ByteWriter().u16(id);
                        if (v5) {
                            w.vbi(0);
                        }
                        w.u16(f.length + 40).bytes(f);
                        return RawPacket.of(PacketType.UNSUBSCRIBE).flags(0x02).body(w).toBytes();
                    }
                    case 3:
                        return new byte[] {0x40, 1, (byte) (id >> 8)};
                    case 4: {
                        byte[] topic = ctx.topic("cut");
                        return RawPacket.of(PacketType.PUBLISH).flags(0x02).body(new ByteWriter().lengthPrefixed(topic)).toBytes();
                    }
                    default: {
                        byte[] topic = ctx.topic("lie");
                        ByteWriter w = new ByteWriter().lengthPrefixed(topic).vbi(30).u8(0x01).u8(0);
                        return RawPacket.of(PacketType.PUBLISH).body(w).toBytes();
                    }
                }
            case REMAINING_LENGTH_OVERLONG:
                if (variant == 0) {
                    return new byte[] {(byte) 0xC0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00};
                } else {
                    byte[] p = publish(ctx, ctx.topic("rl"), 0, 0, 0, "x".getBytes(StandardCharsets.US_ASCII));
                    return RawPacket.ofTypeCode(3).body(RawPacket.bodyOf(p)).remainingLengthBytes(5).toBytes();
                }
            case REMAINING_LENGTH_NOT_MINIMAL:
                if (variant == 0) {
                    return new byte[] {(byte) 0xC0, (byte) 0x80, 0x00};
                } else {
                    byte[] p = publish(ctx, ctx.topic("rl"), 0, 0, 0, "x".getBytes(StandardCharsets.US_ASCII));
                    return RawPacket.ofTypeCode(3).body(RawPacket.bodyOf(p)).remainingLengthBytes(variant + 2).toBytes();
                }
            case TRAILING_BYTES:
                switch (variant) {
                    case 0: return RawPacket.withTrailingBytes(subscribe(ctx, id, ctx.topic("t"), 0, 0x02), (byte) 0);
                    case 1: return RawPacket.withTrailingBytes(unsubscribe(ctx, id, ctx.topic("t"), 0x02), (byte) 0);
                    case 2: return new byte[] {(byte) 0xC0, 1, 0};
                    case 3: return new byte[] {(byte) 0xE0, 1, 0};
                    default: return new byte[] {0x40, 3, (byte) (id >> 8), (byte) id, 0};
                }
            case BAD_PROPERTY: {
                byte[] x = "x".getBytes(StandardCharsets.US_ASCII);
                byte[] t = ctx.topic("p");
                switch (variant) {
                    case 0: return publishWithProps(ctx, t, 0, 0, new byte[] {0x01, 0, 0x01, 0}, x);
                    case 1: return publishWithProps(ctx, t, 0, 0, new ByteWriter().u8(0x02).u32(60).u8(0x02).u32(60).toByteArray(), x);
                    case 2: return publishWithProps(ctx, t, 0, 0, new byte[] {0x0B, 1}, x);
                    case 3: return publishWithProps(ctx, t, 0, 0, new ByteWriter().u8(0x11).u32(5).toByteArray(), x);
                    case 4: return subscribeWithProps(ctx, id, ctx.topic("p"), new byte[] {0x0B, 1, 0x0B, 2});
                    case 5: return subscribeWithProps(ctx, id, ctx.topic("p"), new byte[] {0x0B, 0});
                    case 6: return publishWithProps(ctx, t, 0, 0, new byte[] {0x23, 0, 0}, x);
                    case 7: return publishWithProps(ctx, new byte[0], 0, 0, new byte[] {0x23, 0, 9}, x);
                    case 8: return publishWithProps(ctx, t, 0, 0, new byte[] {0x7F, 0}, x);
                    case 9: return publishWithProps(ctx, t, 0, 0, new byte[] {0x23, 0, 1, 0x23, 0, 1}, x);
                    case 10: return publishWithProps(ctx, t, 0, 0, new ByteWriter().u8(0x08).utf8(ctx.topicPrefix() + "r/#").toByteArray(), x);
                    default: return new byte[] {0x40, 7, (byte) (id >> 8), (byte) id, 0, 3, 0x23, 0, 1};
                }
            }
            case AUTH_WITHOUT_METHOD:
                return RawPacket.of(PacketType.AUTH).body(new ByteWriter().u8(0x18).vbi(0)).toBytes();
            case DISCONNECT_BAD_REASON:
                return new byte[] {(byte) 0xE0, 2, (byte) (variant == 0 ? 0x05 : 0x7F), 0};
            default:
                throw new IllegalStateException(name());
        }
    }

    private static int flagValue(PacketType t, int i) {
        if (t.requiredFlags() == 0x02) {
            return new int[] {0x00, 0x03, 0x0A}[i];
        }
        return new int[] {0x01, 0x08, 0x0F}[i];
    }

    private static int optionsByte(int variant, boolean v5) {
        return v5 ? new int[] {0x41, 0x81, 0xC1}[variant] : new int[] {0x04, 0x41, 0x81, 0xFD}[variant];
    }

    private static String bits(int f) {
        String s = Integer.toBinaryString(f & 0x0F);
        return "0000".substring(s.length()) + s;
    }

    static byte[] badUtf8(int kind) {
        switch (kind) {
            case 0: return new byte[] {(byte) 0x80};
            case 1: return new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80};
            case 2: return new byte[] {(byte) 0xFF};
            case 3: return new byte[] {(byte) 0xE2, (byte) 0x82, 'a'};
            case 4: return new byte[] {(byte) 0xC0, (byte) 0xAF};
            default: return new byte[] {'a', 0x00, 'b'};
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] publish(Context ctx, byte[] topic, int qos, int extraFlags, int id, byte[] payload) {
        ByteWriter w = new ByteWriter().lengthPrefixed(topic);
        if (qos > 0) {
            w.u16(id);
        }
        if (ctx.version().isV5()) {
            w.vbi(0);
        }
        w.bytes(payload);
        return RawPacket.of(PacketType.PUBLISH).flags((qos << 1) | extraFlags).body(w).toBytes();
    }

    private static byte[] publishWithProps(Context ctx, byte[] topic, int qos, int id, byte[] props, byte[] payload) {
        ByteWriter w = new ByteWriter().lengthPrefixed(topic);
        if (qos > 0) {
            w.u16(id);
        }
        w.vbi(props.length).bytes(props).bytes(payload);
        return RawPacket.of(PacketType.PUBLISH).flags(qos << 1).body(w).toBytes();
    }

    private static byte[] subscribe(Context ctx, int id, byte[] filter, int options, int flags) {
        ByteWriter w = new ByteWriter().u16(id);
        if (ctx.version().isV5()) {
            w.vbi(0);
        }
        w.lengthPrefixed(filter).u8(options);
        return RawPacket.of(PacketType.SUBSCRIBE).flags(flags).body(w).toBytes();
    }

    private static byte[] subscribeWithProps(Context ctx, int id, byte[] filter, byte[] props) {
        ByteWriter w = new ByteWriter().u16(id).vbi(props.length).bytes(props).lengthPrefixed(filter).u8(0);
        return RawPacket.of(PacketType.SUBSCRIBE).flags(0x02).body(w).toBytes();
    }

    private static byte[] unsubscribe(Context ctx, int id, byte[] filter, int flags) {
        ByteWriter w = new ByteWriter().u16(id);
        if (ctx.version().isV5()) {
            w.vbi(0);
        }
        w.lengthPrefixed(filter);
        return RawPacket.of(PacketType.UNSUBSCRIBE).flags(flags).body(w).toBytes();
    }
}
