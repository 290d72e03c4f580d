package dev.mqttharness.spec.codec;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import java.util.List;

/** Test helpers over packets of any type. */
final class Packets {
    private Packets() {
    }

    static Packet withProperties(Packet p, Properties props) {
        switch (p.type()) {
            case CONNECT: {
                Connect c = (Connect) p;
                return new Connect(c.version(), c.clientId(), c.cleanStart(), c.keepAlive(), props, c.will(), c.username(), c.password());
            }
            case CONNACK: return new Connack(((Connack) p).sessionPresent(), ((Connack) p).reasonCode(), props);
            case PUBLISH: return ((Publish) p).withProperties(props);
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP: {
                PubAck a = (PubAck) p;
                return PubAck.of(a.type(), a.packetId(), a.reasonCode(), props);
            }
            case SUBSCRIBE: return new Subscribe(((Subscribe) p).packetId(), props, ((Subscribe) p).subscriptions());
            case SUBACK: return new Suback(((Suback) p).packetId(), props, ((Suback) p).reasonCodes());
            case UNSUBSCRIBE: return new Unsubscribe(((Unsubscribe) p).packetId(), props, ((Unsubscribe) p).filters());
            case UNSUBACK: return new Unsuback(((Unsuback) p).packetId(), props, ((Unsuback) p).reasonCodes());
            case DISCONNECT: return new Disconnect(((Disconnect) p).reasonCode(), props);
            case AUTH: return new Auth(((Auth) p).reasonCode(), props);
            default: throw new IllegalArgumentException(p.type() + " has no properties");
        }
    }

    /** A decoder for what {@code sender} sends in an established {@code v} connection. */
    static MqttDecoder decoderFor(PacketType.Sender sender, MqttVersion v, PacketType type) {
        if (sender == PacketType.Sender.CLIENT) {
            return type == PacketType.CONNECT ? MqttDecoder.forServer(Wire.MAX)
                    : new MqttDecoder(PacketType.Sender.CLIENT, v, Wire.MAX);
        }
        return MqttDecoder.forClient(v, Wire.MAX);
    }

    static List<DecodeResult> decode(PacketType.Sender sender, MqttVersion v, PacketType type, byte[] b) {
        return Wire.checked(v, decoderFor(sender, v, type).feed(b));
    }
}
