package dev.mqttharness.spec.codec;

import static dev.mqttharness.spec.MqttVersion.V5;
import static dev.mqttharness.spec.codec.Wire.assertMalformed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.PropertyId;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole of Table 2-4 (§2.2.2.2): for every packet with properties and every property, a
 * property in a packet that may not carry it is malformed (0x81), a second copy of a property that
 * may appear once is a protocol error (0x82), and an allowed one decodes.
 */
class PropertyPlacementTest {
    static final List<PacketType> WITH_PROPERTIES = List.of(PacketType.CONNECT, PacketType.CONNACK, PacketType.PUBLISH,
            PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP, PacketType.SUBSCRIBE,
            PacketType.SUBACK, PacketType.UNSUBSCRIBE, PacketType.UNSUBACK, PacketType.DISCONNECT, PacketType.AUTH);

    static Stream<Arguments> placements() {
        List<Arguments> out = new ArrayList<>();
        for (PacketType t : WITH_PROPERTIES) {
            for (PropertyId id : PropertyId.values()) {
                out.add(Arguments.of(t, id));
            }
        }
        return out.stream();
    }

    /** A valid value of the property, as bytes (identifier included). */
    static void writeProperty(ByteWriter w, PropertyId id) {
        w.u8(id.id());
        switch (id.type()) {
            case BYTE -> w.u8(1);
            case TWO_BYTE_INTEGER -> w.u16(7);
            case FOUR_BYTE_INTEGER -> w.u32(7);
            case VARIABLE_BYTE_INTEGER -> w.vbi(7);
            case UTF8_STRING -> w.utf8("s");
            case BINARY_DATA -> w.lengthPrefixed(new byte[] {1});
            case UTF8_STRING_PAIR -> w.utf8("k").utf8("v");
            default -> throw new IllegalStateException();
        }
    }

    /** A 5.0 packet of {@code type} carrying these property bytes, and the offset of the first property. */
    static byte[] packet(PacketType type, byte[] props, int[] propsAt) {
        ByteWriter w = new ByteWriter();
        switch (type) {
            case CONNECT -> w.utf8("MQTT").u8(5).u8(0x02).u16(0);
            case CONNACK -> w.u8(0).u8(0);
            case PUBLISH -> w.utf8("t").u16(1);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> w.u16(1).u8(0);
            case SUBSCRIBE, SUBACK, UNSUBSCRIBE, UNSUBACK -> w.u16(1);
            case DISCONNECT, AUTH -> w.u8(0);
            default -> throw new IllegalStateException();
        }
        int lengthAt = w.length();
        w.vbi(props.length).bytes(props);
        switch (type) {
            case CONNECT -> w.utf8("c");
            case PUBLISH -> w.u8('p');
            case SUBSCRIBE -> w.utf8("a").u8(1);
            case SUBACK, UNSUBACK -> w.u8(0);
            case UNSUBSCRIBE -> w.utf8("a");
            default -> { }
        }
        RawPacket raw = RawPacket.of(type);
        if (type == PacketType.PUBLISH) {
            raw.flags(0x02); // QoS 1
        }
        byte[] b = raw.body(w).toBytes();
        propsAt[0] = RawPacket.bodyOffset(b) + lengthAt + 1;
        return b;
    }

    /** Decodes from the side that may send the packet; a client-side decoder for PUBLISH so that Subscription Identifier is allowed. */
    static List<DecodeResult> decode(PacketType type, byte[] b) {
        return type.sentByClient() && type != PacketType.PUBLISH ? Wire.fromClient(V5, b) : Wire.fromServer(V5, b);
    }

    @ParameterizedTest(name = "{1} in {0}")
    @MethodSource("placements")
    void decode_property_allowed_or_not_in_packet(PacketType type, PropertyId id) {
        ByteWriter props = new ByteWriter();
        writeProperty(props, id);
        int[] at = new int[1];
        byte[] b = packet(type, props.toByteArray(), at);
        List<DecodeResult> r = decode(type, b);
        assertThat(r).hasSize(1);
        if (id.allowedIn(type)) {
            assertThat(r.get(0)).as(id + " in " + type).isInstanceOf(DecodeResult.Decoded.class);
            assertThat(((DecodeResult.Decoded) r.get(0)).packet().properties().has(id)).isTrue();
        } else {
            assertMalformed((Malformed) r.get(0), V5, 0x81, "§2.2.2.2", at[0]);
        }
    }

    @ParameterizedTest(name = "{1} twice in {0}")
    @MethodSource("placements")
    void decode_property_duplicated(PacketType type, PropertyId id) {
        if (!id.allowedIn(type)) {
            return;
        }
        ByteWriter props = new ByteWriter();
        writeProperty(props, id);
        int second = props.length();
        writeProperty(props, id);
        int[] at = new int[1];
        byte[] b = packet(type, props.toByteArray(), at);
        List<DecodeResult> r = decode(type, b);
        assertThat(r).hasSize(1);
        if (id.repeatableIn(type)) {
            assertThat(r.get(0)).as(id + " twice in " + type).isInstanceOf(DecodeResult.Decoded.class);
        } else {
            assertMalformed((Malformed) r.get(0), V5, 0x82, "§2.2.2.2", at[0] + second);
        }
    }
}
