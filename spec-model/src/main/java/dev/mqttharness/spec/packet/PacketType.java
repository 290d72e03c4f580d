package dev.mqttharness.spec.packet;

/** The 15 MQTT Control Packet types (AUTH exists in MQTT 5 only), with their fixed-header rules. */
public enum PacketType {
    CONNECT(1, 0b0000, Sender.CLIENT),
    CONNACK(2, 0b0000, Sender.SERVER),
    /** Flags carry DUP, QoS and RETAIN. */
    PUBLISH(3, -1, Sender.BOTH),
    PUBACK(4, 0b0000, Sender.BOTH),
    PUBREC(5, 0b0000, Sender.BOTH),
    PUBREL(6, 0b0010, Sender.BOTH),
    PUBCOMP(7, 0b0000, Sender.BOTH),
    SUBSCRIBE(8, 0b0010, Sender.CLIENT),
    SUBACK(9, 0b0000, Sender.SERVER),
    UNSUBSCRIBE(10, 0b0010, Sender.CLIENT),
    UNSUBACK(11, 0b0000, Sender.SERVER),
    PINGREQ(12, 0b0000, Sender.CLIENT),
    PINGRESP(13, 0b0000, Sender.SERVER),
    /** Client to Server in 3.1.1; both directions in 5.0. */
    DISCONNECT(14, 0b0000, Sender.BOTH),
    AUTH(15, 0b0000, Sender.BOTH);

    /** Who may send a packet type. */
    public enum Sender { CLIENT, SERVER, BOTH }

    private static final PacketType[] BY_CODE = new PacketType[16];

    static {
        for (PacketType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;
    private final int requiredFlags;
    private final Sender sender;

    PacketType(int code, int requiredFlags, Sender sender) {
        this.code = code;
        this.requiredFlags = requiredFlags;
        this.sender = sender;
    }

    public int code() {
        return code;
    }

    /** The value the four flag bits must have, or -1 for PUBLISH whose flags are meaningful. */
    public int requiredFlags() {
        return requiredFlags;
    }

    public Sender sender() {
        return sender;
    }

    /** Whether a client may send this type in the given version. */
    public boolean sentByClient() {
        return sender != Sender.SERVER;
    }

    public boolean sentByServer(boolean v5) {
        if (this == DISCONNECT || this == AUTH) {
            return v5;
        }
        return sender != Sender.CLIENT;
    }

    /** The type for a fixed-header code 1..15, or null for 0 (reserved) and out-of-range values. */
    public static PacketType fromCode(int code) {
        return code > 0 && code < 16 ? BY_CODE[code] : null;
    }
}
