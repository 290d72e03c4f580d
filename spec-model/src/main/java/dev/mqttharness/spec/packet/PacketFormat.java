package dev.mqttharness.spec.packet;

import java.util.StringJoiner;

/** One-line, human-readable descriptions of packets for traces and reports. */
public final class PacketFormat {
    private PacketFormat() {
    }

    public static String describe(Packet p) {
        StringBuilder sb = new StringBuilder(p.type().name());
        StringJoiner f = new StringJoiner(", ", "(", ")");
        f.setEmptyValue("");
        switch (p.type()) {
            case CONNECT: {
                Connect c = (Connect) p;
                f.add("v" + c.version().label()).add("clientId='" + c.clientId() + "'")
                        .add(c.cleanStart() ? "cleanStart" : "resume").add("keepAlive=" + c.keepAlive());
                if (c.will() != null) {
                    Will w = c.will();
                    f.add("will=" + w.topic() + "@" + w.qos().value() + (w.retain() ? "R" : "") + ":" + w.payload());
                }
                if (c.username() != null) {
                    f.add("user='" + c.username() + "'");
                }
                if (c.password() != null) {
                    f.add("password");
                }
                break;
            }
            case CONNACK: {
                Connack c = (Connack) p;
                f.add("rc=" + String.format("0x%02X", c.reasonCode())).add(c.sessionPresent() ? "sessionPresent" : "new");
                break;
            }
            case PUBLISH: {
                Publish pub = (Publish) p;
                f.add("'" + pub.topic() + "'").add("qos=" + pub.qos().value());
                if (pub.packetId() != 0) {
                    f.add("id=" + pub.packetId());
                }
                if (pub.retain()) {
                    f.add("retain");
                }
                if (pub.dup()) {
                    f.add("dup");
                }
                f.add("payload=" + pub.payload());
                break;
            }
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP: {
                PubAck a = (PubAck) p;
                f.add("id=" + a.packetId());
                if (a.reasonCode() != 0) {
                    f.add(String.format("rc=0x%02X", a.reasonCode()));
                }
                break;
            }
            case SUBSCRIBE: {
                Subscribe s = (Subscribe) p;
                f.add("id=" + s.packetId());
                for (TopicSubscription ts : s.subscriptions()) {
                    StringBuilder o = new StringBuilder("'" + ts.filter() + "'@" + ts.qos().value());
                    if (ts.noLocal()) {
                        o.append(" nl");
                    }
                    if (ts.retainAsPublished()) {
                        o.append(" rap");
                    }
                    if (ts.retainHandling() != 0) {
                        o.append(" rh=").append(ts.retainHandling());
                    }
                    f.add(o);
                }
                break;
            }
            case SUBACK: {
                Suback s = (Suback) p;
                f.add("id=" + s.packetId()).add("codes=" + hexList(s.reasonCodes()));
                break;
            }
            case UNSUBSCRIBE: {
                Unsubscribe u = (Unsubscribe) p;
                f.add("id=" + u.packetId());
                for (TopicFilter tf : u.filters()) {
                    f.add("'" + tf + "'");
                }
                break;
            }
            case UNSUBACK: {
                Unsuback u = (Unsuback) p;
                f.add("id=" + u.packetId());
                if (!u.reasonCodes().isEmpty()) {
                    f.add("codes=" + hexList(u.reasonCodes()));
                }
                break;
            }
            case DISCONNECT:
                if (((Disconnect) p).reasonCode() != 0) {
                    f.add(ReasonCode.describe(((Disconnect) p).reasonCode(), PacketType.DISCONNECT));
                }
                break;
            case AUTH:
                f.add(ReasonCode.describe(((Auth) p).reasonCode(), PacketType.AUTH));
                break;
            default:
                break;
        }
        if (!p.properties().isEmpty()) {
            f.add("props=" + p.properties());
        }
        return sb.append(f).toString();
    }

    private static String hexList(java.util.List<Integer> codes) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (int c : codes) {
            j.add(String.format("0x%02X", c));
        }
        return j.toString();
    }
}
