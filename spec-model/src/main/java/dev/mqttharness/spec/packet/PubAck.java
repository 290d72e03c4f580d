package dev.mqttharness.spec.packet;

/**
 * The four packets of the QoS 1 and QoS 2 flows: PUBACK, PUBREC, PUBREL, PUBCOMP (§3.4 - 3.7). They
 * share one layout: packet identifier, and in 5.0 a reason code and properties.
 */
public sealed interface PubAck extends Packet permits Puback, Pubrec, Pubrel, Pubcomp {
    int packetId();

    int reasonCode();

    /** The acknowledgement of {@code type} with these fields. */
    static PubAck of(PacketType type, int packetId, int reasonCode, Properties properties) {
        switch (type) {
            case PUBACK: return new Puback(packetId, reasonCode, properties);
            case PUBREC: return new Pubrec(packetId, reasonCode, properties);
            case PUBREL: return new Pubrel(packetId, reasonCode, properties);
            case PUBCOMP: return new Pubcomp(packetId, reasonCode, properties);
            default: throw new IllegalArgumentException(type + " is not a publish acknowledgement");
        }
    }

    static PubAck of(PacketType type, int packetId) {
        return of(type, packetId, 0, Properties.EMPTY);
    }
}
