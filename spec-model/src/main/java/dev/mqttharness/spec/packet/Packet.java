package dev.mqttharness.spec.packet;

/**
 * An MQTT Control Packet. The permitted types are immutable records; {@link #type()} gives the
 * {@link PacketType} for exhaustive switches. Records do not validate themselves: a harness must be
 * able to build invalid packets. {@code PacketValidator} and the strict encoder judge them.
 */
public sealed interface Packet
        permits Connect, Connack, Publish, PubAck, Subscribe, Suback, Unsubscribe, Unsuback,
        Pingreq, Pingresp, Disconnect, Auth {

    PacketType type();

    /** Properties, or {@link Properties#EMPTY} for packets without them (always so in 3.1.1). */
    default Properties properties() {
        return Properties.EMPTY;
    }
}
