package dev.mqttharness.spec.codec;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.packet.Utf8String;
import dev.mqttharness.spec.packet.VariableByteInteger;
import dev.mqttharness.spec.packet.Will;
import java.util.List;

/**
 * Encodes packets for one version. {@link #encode} is strict: it refuses a packet that breaks a rule
 * of its version ({@link InvalidPacketException} lists the violations), which is right for a broker.
 * {@link #encodeUnchecked} writes whatever the record holds — wildcards in topic names, QoS 0 with
 * DUP, duplicated properties, ill-formed strings — in the version's layout, for probes and the fuzzer.
 * Sizes are computed first, so each packet is written once into an array of its exact length.
 */
public final class MqttEncoder {
    private MqttEncoder() {
    }

    /** Encodes a valid packet; throws {@link InvalidPacketException} otherwise. */
    public static byte[] encode(Packet p, MqttVersion version) {
        List<Violation> v = PacketValidator.validate(p, version);
        if (!v.isEmpty()) {
            throw new InvalidPacketException(v);
        }
        return encodeUnchecked(p, version);
    }

    /** Encodes the packet as it is, valid or not. */
    public static byte[] encodeUnchecked(Packet p, MqttVersion version) {
        boolean v5 = version.isV5();
        int body = bodySize(p, v5);
        byte[] out = new byte[1 + VariableByteInteger.size(body) + body];
        out[0] = (byte) ((p.type().code() << 4) | flags(p));
        int pos = VariableByteInteger.write(out, 1, body);
        pos = writeBody(p, v5, out, pos);
        if (pos != out.length) {
            throw new IllegalStateException("size mismatch for " + p.type() + ": " + pos + " != " + out.length);
        }
        return out;
    }

    /** Bytes the packet takes on the wire, fixed header included. */
    public static int size(Packet p, MqttVersion version) {
        int body = bodySize(p, version.isV5());
        return 1 + VariableByteInteger.size(body) + body;
    }

    private static int flags(Packet p) {
        if (p.type() == PacketType.PUBLISH) {
            Publish pub = (Publish) p;
            return (pub.dup() ? 0x08 : 0) | (pub.qos().value() << 1) | (pub.retain() ? 0x01 : 0);
        }
        return p.type().requiredFlags();
    }

    // ---------------------------------------------------------------- sizes

    private static int bodySize(Packet p, boolean v5) {
        switch (p.type()) {
            case CONNECT: return connectSize((Connect) p);
            case CONNACK: return 2 + (v5 ? propsField(p.properties()) : 0);
            case PUBLISH: {
                Publish pub = (Publish) p;
                return 2 + pub.topic().utf8().encodedLength() + (pub.qos() != QoS.AT_MOST_ONCE ? 2 : 0)
                        + (v5 ? propsField(pub.properties()) : 0) + pub.payload().length();
            }
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP: {
                PubAck a = (PubAck) p;
                if (!v5 || (a.reasonCode() == 0 && a.properties().isEmpty())) {
                    return 2;
                }
                return a.properties().isEmpty() ? 3 : 3 + propsField(a.properties());
            }
            case SUBSCRIBE: {
                Subscribe s = (Subscribe) p;
                int n = 2 + (v5 ? propsField(s.properties()) : 0);
                for (TopicSubscription ts : s.subscriptions()) {
                    n += 2 + ts.filter().utf8().encodedLength() + 1;
                }
                return n;
            }
            case SUBACK: {
                Suback s = (Suback) p;
                return 2 + (v5 ? propsField(s.properties()) : 0) + s.reasonCodes().size();
            }
            case UNSUBSCRIBE: {
                Unsubscribe u = (Unsubscribe) p;
                int n = 2 + (v5 ? propsField(u.properties()) : 0);
                for (TopicFilter f : u.filters()) {
                    n += 2 + f.utf8().encodedLength();
                }
                return n;
            }
            case UNSUBACK: {
                Unsuback u = (Unsuback) p;
                return v5 ? 2 + propsField(u.properties()) + u.reasonCodes().size() : 2;
            }
            case PINGREQ:
            case PINGRESP:
                return 0;
            case DISCONNECT: {
                Disconnect d = (Disconnect) p;
                return reasonAndProps(v5, d.reasonCode(), d.properties());
            }
            case AUTH: {
                Auth a = (Auth) p;
                return reasonAndProps(v5, a.reasonCode(), a.properties());
            }
            default:
                throw new IllegalStateException(p.type().toString());
        }
    }

    /** DISCONNECT and AUTH may omit reason code and properties when they are 0 and empty. */
    private static int reasonAndProps(boolean v5, int rc, Properties props) {
        if (!v5 || (rc == 0 && props.isEmpty())) {
            return 0;
        }
        return props.isEmpty() ? 1 : 1 + propsField(props);
    }

    private static int connectSize(Connect c) {
        boolean v5 = c.version().isV5();
        int n = 2 + c.version().protocolName().length() + 1 + 1 + 2;
        if (v5) {
            n += propsField(c.properties());
        }
        n += 2 + c.clientId().encodedLength();
        Will w = c.will();
        if (w != null) {
            if (v5) {
                n += propsField(w.properties());
            }
            n += 2 + w.topic().utf8().encodedLength() + 2 + w.payload().length();
        }
        if (c.username() != null) {
            n += 2 + c.username().encodedLength();
        }
        if (c.password() != null) {
            n += 2 + c.password().length();
        }
        return n;
    }

    /** Size of a Property Length and the properties. */
    private static int propsField(Properties props) {
        int len = propsLength(props);
        return VariableByteInteger.size(len) + len;
    }

    private static int propsLength(Properties props) {
        int n = 0;
        for (Property p : props.list()) {
            n += VariableByteInteger.size(p.id().id()) + valueSize(p);
        }
        return n;
    }

    private static int valueSize(Property p) {
        switch (p.id().type()) {
            case BYTE: return 1;
            case TWO_BYTE_INTEGER: return 2;
            case FOUR_BYTE_INTEGER: return 4;
            case VARIABLE_BYTE_INTEGER: return VariableByteInteger.size((int) Math.min(p.number(), VariableByteInteger.MAX_VALUE));
            case UTF8_STRING: return 2 + p.string().encodedLength();
            case BINARY_DATA: return 2 + p.binary().length();
            case UTF8_STRING_PAIR: return 4 + p.pair().name().encodedLength() + p.pair().value().encodedLength();
            default: throw new IllegalStateException();
        }
    }

    // ---------------------------------------------------------------- writing

    private static int writeBody(Packet p, boolean v5, byte[] o, int pos) {
        switch (p.type()) {
            case CONNECT:
                return writeConnect((Connect) p, o, pos);
            case CONNACK: {
                Connack c = (Connack) p;
                o[pos++] = (byte) (c.sessionPresent() ? 1 : 0);
                o[pos++] = (byte) c.reasonCode();
                return v5 ? writeProps(c.properties(), o, pos) : pos;
            }
            case PUBLISH: {
                Publish pub = (Publish) p;
                pos = writeString(pub.topic().utf8(), o, pos);
                if (pub.qos() != QoS.AT_MOST_ONCE) {
                    pos = u16(pub.packetId(), o, pos);
                }
                if (v5) {
                    pos = writeProps(pub.properties(), o, pos);
                }
                pub.payload().copyTo(o, pos);
                return pos + pub.payload().length();
            }
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP: {
                PubAck a = (PubAck) p;
                pos = u16(a.packetId(), o, pos);
                if (!v5 || (a.reasonCode() == 0 && a.properties().isEmpty())) {
                    return pos;
                }
                o[pos++] = (byte) a.reasonCode();
                return a.properties().isEmpty() ? pos : writeProps(a.properties(), o, pos);
            }
            case SUBSCRIBE: {
                Subscribe s = (Subscribe) p;
                pos = u16(s.packetId(), o, pos);
                if (v5) {
                    pos = writeProps(s.properties(), o, pos);
                }
                for (TopicSubscription ts : s.subscriptions()) {
                    pos = writeString(ts.filter().utf8(), o, pos);
                    o[pos++] = (byte) (v5 ? ts.optionsByte() : ts.qos().value());
                }
                return pos;
            }
            case SUBACK: {
                Suback s = (Suback) p;
                pos = u16(s.packetId(), o, pos);
                if (v5) {
                    pos = writeProps(s.properties(), o, pos);
                }
                for (int rc : s.reasonCodes()) {
                    o[pos++] = (byte) rc;
                }
                return pos;
            }
            case UNSUBSCRIBE: {
                Unsubscribe u = (Unsubscribe) p;
                pos = u16(u.packetId(), o, pos);
                if (v5) {
                    pos = writeProps(u.properties(), o, pos);
                }
                for (TopicFilter f : u.filters()) {
                    pos = writeString(f.utf8(), o, pos);
                }
                return pos;
            }
            case UNSUBACK: {
                Unsuback u = (Unsuback) p;
                pos = u16(u.packetId(), o, pos);
                if (!v5) {
                    return pos;
                }
                pos = writeProps(u.properties(), o, pos);
                for (int rc : u.reasonCodes()) {
                    o[pos++] = (byte) rc;
                }
                return pos;
            }
            case PINGREQ:
            case PINGRESP:
                return pos;
            case DISCONNECT: {
                Disconnect d = (Disconnect) p;
                return writeReasonAndProps(v5, d.reasonCode(), d.properties(), o, pos);
            }
            case AUTH: {
                Auth a = (Auth) p;
                return writeReasonAndProps(v5, a.reasonCode(), a.properties(), o, pos);
            }
            default:
                throw new IllegalStateException(p.type().toString());
        }
    }

    private static int writeReasonAndProps(boolean v5, int rc, Properties props, byte[] o, int pos) {
        if (!v5 || (rc == 0 && props.isEmpty())) {
            return pos;
        }
        o[pos++] = (byte) rc;
        return props.isEmpty() ? pos : writeProps(props, o, pos);
    }

    private static int writeConnect(Connect c, byte[] o, int pos) {
        boolean v5 = c.version().isV5();
        String name = c.version().protocolName();
        pos = u16(name.length(), o, pos);
        for (int i = 0; i < name.length(); i++) {
            o[pos++] = (byte) name.charAt(i);
        }
        o[pos++] = (byte) c.version().level();
        Will w = c.will();
        int flags = (c.cleanStart() ? 0x02 : 0)
                | (w != null ? 0x04 | (w.qos().value() << 3) | (w.retain() ? 0x20 : 0) : 0)
                | (c.password() != null ? 0x40 : 0)
                | (c.username() != null ? 0x80 : 0);
        o[pos++] = (byte) flags;
        pos = u16(c.keepAlive(), o, pos);
        if (v5) {
            pos = writeProps(c.properties(), o, pos);
        }
        pos = writeString(c.clientId(), o, pos);
        if (w != null) {
            if (v5) {
                pos = writeProps(w.properties(), o, pos);
            }
            pos = writeString(w.topic().utf8(), o, pos);
            pos = writeBinary(w.payload(), o, pos);
        }
        if (c.username() != null) {
            pos = writeString(c.username(), o, pos);
        }
        if (c.password() != null) {
            pos = writeBinary(c.password(), o, pos);
        }
        return pos;
    }

    private static int writeProps(Properties props, byte[] o, int pos) {
        pos = VariableByteInteger.write(o, pos, propsLength(props));
        for (Property p : props.list()) {
            pos = VariableByteInteger.write(o, pos, p.id().id());
            switch (p.id().type()) {
                case BYTE:
                    o[pos++] = (byte) p.number();
                    break;
                case TWO_BYTE_INTEGER:
                    pos = u16((int) p.number(), o, pos);
                    break;
                case FOUR_BYTE_INTEGER: {
                    long v = p.number();
                    o[pos++] = (byte) (v >> 24);
                    o[pos++] = (byte) (v >> 16);
                    o[pos++] = (byte) (v >> 8);
                    o[pos++] = (byte) v;
                    break;
                }
                case VARIABLE_BYTE_INTEGER:
                    pos = VariableByteInteger.write(o, pos, (int) Math.min(p.number(), VariableByteInteger.MAX_VALUE));
                    break;
                case UTF8_STRING:
                    pos = writeString(p.string(), o, pos);
                    break;
                case BINARY_DATA:
                    pos = writeBinary(p.binary(), o, pos);
                    break;
                case UTF8_STRING_PAIR:
                    pos = writeString(p.pair().name(), o, pos);
                    pos = writeString(p.pair().value(), o, pos);
                    break;
                default:
                    throw new IllegalStateException();
            }
        }
        return pos;
    }

    private static int u16(int v, byte[] o, int pos) {
        o[pos] = (byte) (v >> 8);
        o[pos + 1] = (byte) v;
        return pos + 2;
    }

    private static int writeString(Utf8String s, byte[] o, int pos) {
        pos = u16(s.encodedLength(), o, pos);
        return s.copyTo(o, pos);
    }

    private static int writeBinary(BinaryData d, byte[] o, int pos) {
        pos = u16(d.length(), o, pos);
        d.copyTo(o, pos);
        return pos + d.length();
    }
}
