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
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.PropertyType;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.ReturnCode311;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import dev.mqttharness.spec.packet.TopicFilter;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.TopicSubscription;
import dev.mqttharness.spec.packet.Unsuback;
import dev.mqttharness.spec.packet.Unsubscribe;
import dev.mqttharness.spec.packet.Utf8;
import dev.mqttharness.spec.packet.Utf8String;
import dev.mqttharness.spec.packet.Will;
import java.util.ArrayList;
import java.util.List;

/**
 * Judges a packet before it is sent: the rules of the packet's own content in one version, the same
 * ones the decoder enforces on arrival. Rules that need connection state (topic aliases in range,
 * packet identifiers in use) belong to whoever holds that state.
 */
public final class PacketValidator {
    private final MqttVersion version;
    private final boolean v5;
    private final List<Violation> out = new ArrayList<>();

    private PacketValidator(MqttVersion version) {
        this.version = version;
        this.v5 = version.isV5();
    }

    /** Violations of {@code p} in {@code version}; empty when the packet may be sent. */
    public static List<Violation> validate(Packet p, MqttVersion version) {
        PacketValidator v = new PacketValidator(version);
        v.check(p);
        return v.out;
    }

    private void add(String reason, String v311, String v5ids) {
        String ids = v5 ? v5ids : v311;
        out.add(new Violation(ids.isEmpty() ? List.of() : List.of(ids.split(",")), reason));
    }

    private void check(Packet p) {
        if (!v5 && p.type() == PacketType.AUTH) {
            add("AUTH does not exist before MQTT 5", "§2.2.1", "§2.1.2");
            return;
        }
        if (!v5 && !p.properties().isEmpty()) {
            add(p.type() + " has properties, which do not exist before MQTT 5", "§2.2", "§2.2.2");
        }
        switch (p.type()) {
            case CONNECT: connect((Connect) p); break;
            case CONNACK: connack((Connack) p); break;
            case PUBLISH: publish((Publish) p); break;
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP:
                pubAck((PubAck) p);
                break;
            case SUBSCRIBE: subscribe((Subscribe) p); break;
            case SUBACK: suback((Suback) p); break;
            case UNSUBSCRIBE: unsubscribe((Unsubscribe) p); break;
            case UNSUBACK: unsuback((Unsuback) p); break;
            case DISCONNECT: reasonOnly(p.type(), ((Disconnect) p).reasonCode(), "MQTT-3.14.2-1"); break;
            case AUTH: reasonOnly(p.type(), ((Auth) p).reasonCode(), "MQTT-3.15.2-1"); break;
            case PINGREQ:
            case PINGRESP:
                break;
            default:
                throw new IllegalStateException(p.type().toString());
        }
        if (v5) {
            properties(p.properties(), p.type(), false);
        }
    }

    private void connect(Connect c) {
        if (c.version() != version) {
            add("CONNECT is for " + c.version() + " but is encoded as " + version, "§3.1.2.2", "§3.1.2.2");
        }
        string(c.clientId(), "Client Identifier", "MQTT-3.1.3-4", "MQTT-3.1.3-4");
        if (c.keepAlive() < 0 || c.keepAlive() > 0xFFFF) {
            add("Keep Alive " + c.keepAlive() + " does not fit two bytes", "§3.1.2.10", "§3.1.2.10");
        }
        Will w = c.will();
        if (w != null) {
            encoding(w.topic().utf8(), "Will Topic");
            String problem = TopicName.problem(w.topic().toString());
            if (problem != null) {
                add("Will Topic " + problem, "MQTT-3.1.3-10", "MQTT-3.1.3-11");
            }
            binary(w.payload(), "Will Payload");
            if (v5) {
                properties(w.properties(), PacketType.PUBLISH, true);
            } else if (!w.properties().isEmpty()) {
                add("Will has properties, which do not exist before MQTT 5", "§2.2", "§2.2.2");
            }
        }
        if (c.username() != null) {
            string(c.username(), "User Name", "MQTT-3.1.3-11", "MQTT-3.1.3-12");
        }
        if (c.password() != null) {
            binary(c.password(), "Password");
            if (!v5 && c.username() == null) {
                add("Password without a User Name", "MQTT-3.1.2-22", "MQTT-3.1.2-22");
            }
        }
    }

    private void connack(Connack c) {
        if (v5 ? ReasonCode.of(c.reasonCode(), PacketType.CONNACK) == null : !ReturnCode311.isConnackCode(c.reasonCode())) {
            add(String.format("0x%02X is not a CONNACK code", c.reasonCode()), "§3.2.2.3", "MQTT-3.2.2-8");
        }
        if (c.sessionPresent() && c.reasonCode() != 0) {
            add("Session Present with a non-zero code", "MQTT-3.2.2-4", "MQTT-3.2.2-6");
        }
    }

    private void publish(Publish p) {
        if (p.qos() == QoS.AT_MOST_ONCE) {
            if (p.dup()) {
                add("QoS 0 PUBLISH with DUP set", "MQTT-3.3.1-2", "MQTT-3.3.1-2");
            }
            if (p.packetId() != 0) {
                add("QoS 0 PUBLISH with a Packet Identifier", "MQTT-2.3.1-5", "MQTT-2.2.1-2");
            }
        } else if (p.packetId() <= 0 || p.packetId() > 0xFFFF) {
            add("QoS " + p.qos().value() + " PUBLISH with Packet Identifier " + p.packetId(), "MQTT-2.3.1-1", "MQTT-2.2.1-3");
        }
        encoding(p.topic().utf8(), "Topic Name");
        String topic = p.topic().toString();
        if (topic.isEmpty()) {
            if (!v5 || !p.properties().has(PropertyId.TOPIC_ALIAS)) {
                add("empty Topic Name" + (v5 ? " without a Topic Alias" : ""), "MQTT-4.7.3-1", "MQTT-4.7.3-1");
            }
        } else {
            String problem = TopicName.problem(topic);
            if (problem != null) {
                add("Topic Name " + problem, "MQTT-3.3.2-2", "MQTT-3.3.2-2");
            }
        }
    }

    private void pubAck(PubAck a) {
        if (a.packetId() <= 0 || a.packetId() > 0xFFFF) {
            add(a.type() + " with Packet Identifier " + a.packetId(), "MQTT-2.3.1-6", "MQTT-2.2.1-5");
        }
        if (v5) {
            if (ReasonCode.of(a.reasonCode(), a.type()) == null) {
                add(String.format("0x%02X is not a %s reason code", a.reasonCode(), a.type()), "",
                        "MQTT-3." + a.type().code() + ".2-1");
            }
        } else if (a.reasonCode() != 0) {
            add(a.type() + " has a reason code, which does not exist before MQTT 5", "§3." + a.type().code(), "");
        }
    }

    private void subscribe(Subscribe s) {
        packetId(s.packetId(), PacketType.SUBSCRIBE);
        if (s.subscriptions().isEmpty()) {
            add("SUBSCRIBE without a Topic Filter", "MQTT-3.8.3-3", "MQTT-3.8.3-2");
        }
        if (v5 && s.properties().numbers(PropertyId.SUBSCRIPTION_IDENTIFIER).size() > 1) {
            add("more than one Subscription Identifier", "", "§3.8.2.1.2");
        }
        for (TopicSubscription ts : s.subscriptions()) {
            filter(ts.filter());
            if (!v5 && (ts.noLocal() || ts.retainAsPublished() || ts.retainHandling() != 0)) {
                add("Subscription Options other than QoS do not exist before MQTT 5", "MQTT-3.8.3-4", "");
            }
            if (v5 && (ts.retainHandling() < 0 || ts.retainHandling() > 2)) {
                add("Retain Handling " + ts.retainHandling(), "", "§3.8.3.1");
            }
            if (v5 && ts.noLocal() && ts.filter().isShared()) {
                add("No Local on a Shared Subscription", "", "MQTT-3.8.3-4");
            }
        }
    }

    private void suback(Suback s) {
        packetId(s.packetId(), PacketType.SUBACK);
        if (s.reasonCodes().isEmpty()) {
            add("SUBACK without a code", "MQTT-3.8.4-5", "MQTT-3.8.4-6");
        }
        for (int rc : s.reasonCodes()) {
            if (v5 ? ReasonCode.of(rc, PacketType.SUBACK) == null : !ReturnCode311.isSubackCode(rc)) {
                add(String.format("0x%02X is not a SUBACK code", rc), "MQTT-3.9.3-2", "MQTT-3.9.3-2");
            }
        }
    }

    private void unsubscribe(Unsubscribe u) {
        packetId(u.packetId(), PacketType.UNSUBSCRIBE);
        if (u.filters().isEmpty()) {
            add("UNSUBSCRIBE without a Topic Filter", "MQTT-3.10.3-2", "MQTT-3.10.3-2");
        }
        for (TopicFilter f : u.filters()) {
            filter(f);
        }
    }

    private void unsuback(Unsuback u) {
        packetId(u.packetId(), PacketType.UNSUBACK);
        if (!v5 && !u.reasonCodes().isEmpty()) {
            add("UNSUBACK has reason codes, which do not exist before MQTT 5", "§3.11", "");
        }
        if (v5 && u.reasonCodes().isEmpty()) {
            add("UNSUBACK without a reason code", "", "MQTT-3.11.3-2");
        }
        for (int rc : u.reasonCodes()) {
            if (v5 && ReasonCode.of(rc, PacketType.UNSUBACK) == null) {
                add(String.format("0x%02X is not an UNSUBACK reason code", rc), "", "MQTT-3.11.3-2");
            }
        }
    }

    private void reasonOnly(PacketType type, int rc, String statement) {
        if (v5 && ReasonCode.of(rc, type) == null) {
            add(String.format("0x%02X is not a %s reason code", rc, type), "", statement);
        } else if (!v5 && rc != 0) {
            add(type + " has a reason code, which does not exist before MQTT 5", "§3.14", "");
        }
    }

    private void packetId(int id, PacketType type) {
        if (id <= 0 || id > 0xFFFF) {
            add(type + " with Packet Identifier " + id, "MQTT-2.3.1-1", "MQTT-2.2.1-3");
        }
    }

    private void filter(TopicFilter f) {
        encoding(f.utf8(), "Topic Filter");
        String problem = TopicFilter.problem(f.toString(), v5);
        if (problem != null) {
            add("Topic Filter '" + f + "': " + problem, "MQTT-4.7.1-2", "MQTT-4.7.1-1");
        }
    }

    private void string(Utf8String s, String what, String v311, String v5ids) {
        Utf8.Problem p = s.problem();
        if (p != null) {
            add(what + " " + p.text(), v311, v5ids);
        }
    }

    /**
     * The string's bytes as they will be written. Topic and filter rules are judged on the decoded
     * Java string, in which ill-formed bytes (e.g. a lone surrogate written by {@code unchecked})
     * have become U+FFFD and look valid; so the encoding is judged here, on the bytes.
     */
    private void encoding(Utf8String s, String what) {
        Utf8.Problem p = s.problem();
        if (p == Utf8.Problem.NULL_CHARACTER) {
            add(what + " " + p.text(), "MQTT-1.5.3-2", "MQTT-1.5.4-2");
        } else if (p != null) {
            add(what + " " + p.text(), "MQTT-1.5.3-1", "MQTT-1.5.4-1");
        }
    }

    private void binary(BinaryData d, String what) {
        if (d.length() > BinaryData.MAX_FIELD_LENGTH) {
            add(what + " longer than 65535 bytes", "§1.5.3", "§1.5.6");
        }
    }

    private void properties(Properties props, PacketType scope, boolean will) {
        long seen = 0;
        String where = will ? "Will Properties" : scope + " properties";
        for (Property p : props.list()) {
            PropertyId id = p.id();
            if (will ? !id.allowedInWill() : !id.allowedIn(scope)) {
                add(id + " is not allowed in " + where, "", "§2.2.2.2");
            }
            long bit = 1L << id.id();
            if ((seen & bit) != 0 && !(id == PropertyId.USER_PROPERTY || (!will && id.repeatableIn(scope)))) {
                add(id + " appears more than once in " + where, "", "§2.2.2.2");
            }
            seen |= bit;
            PropertyType t = id.type();
            if (t.isNumeric() && (p.number() < 0 || p.number() > t.maxValue())) {
                add(id + " value " + p.number() + " does not fit a " + t, "", "§2.2.2.2");
            }
            if (t == PropertyType.UTF8_STRING) {
                string(p.string(), id.toString(), "", id == PropertyId.CONTENT_TYPE ? "MQTT-3.3.2-19" : "§1.5.4");
            } else if (t == PropertyType.UTF8_STRING_PAIR) {
                string(p.pair().name(), "User Property name", "", "MQTT-1.5.7-1");
                string(p.pair().value(), "User Property value", "", "MQTT-1.5.7-1");
            } else if (t == PropertyType.BINARY_DATA) {
                binary(p.binary(), id.toString());
            }
            if (id == PropertyId.TOPIC_ALIAS && p.number() == 0) {
                add("Topic Alias 0", "", "MQTT-3.3.2-8");
            }
            if ((id == PropertyId.RECEIVE_MAXIMUM || id == PropertyId.MAXIMUM_PACKET_SIZE
                    || id == PropertyId.SUBSCRIPTION_IDENTIFIER) && p.number() == 0) {
                add(id + " is 0", "", "§2.2.2.2");
            }
            if (id == PropertyId.RESPONSE_TOPIC && TopicName.problem(p.string().toString()) != null) {
                add("Response Topic " + TopicName.problem(p.string().toString()), "", "MQTT-3.3.2-14");
            }
        }
    }

}
