package dev.mqttharness.spec.codec;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.packet.Auth;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Pingreq;
import dev.mqttharness.spec.packet.Pingresp;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Property;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.PubAck;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.ReturnCode311;
import dev.mqttharness.spec.packet.StringPair;
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
import java.util.function.Consumer;

/**
 * A strict, incremental MQTT decoder for one direction of one connection.
 *
 * <p>Bytes arrive in chunks of any size; a chunk may hold several packets or part of one. The
 * fixed header is judged as soon as it is complete, and the Remaining Length is checked against
 * the maximum packet size before any of the body is buffered. Every rejection is a
 * {@link Malformed} value naming the reason code, the statements broken and the byte offset; after
 * one, the stream cannot be resynchronised and the decoder stops.
 *
 * <p>Zero copy: when a packet lies wholly inside a chunk passed to {@link #feed}, payloads and
 * binary fields of the decoded packet are views of that chunk. The caller hands the chunk over and
 * must not modify it afterwards.
 *
 * <p>A server-side decoder learns the version from the CONNECT it decodes; a client-side decoder is
 * told the version it connected with.
 */
public final class MqttDecoder {
    /** Largest packet the protocol can express: 1 + 4 + 268,435,455 bytes. */
    public static final int PROTOCOL_MAX_PACKET_SIZE = 268_435_460;

    private final PacketType.Sender peer;
    private final int maxPacketSize;
    private MqttVersion version;
    private int connectLevel = -1;
    private String connectName;
    private boolean failed;
    private long consumed;
    // fault injection only (a deliberately wrong broker): see resumeAfterMalformed / tolerate
    private boolean resume;
    private boolean anyProtocolName;
    private boolean connectReservedFlag;
    /** Bytes of a rejected packet of known length still to pass over (only with {@link #resume}). */
    private long skip;

    // a fixed header split across chunks
    private final byte[] header = new byte[5];
    private int headerLen;
    // a packet split across chunks, once its size is known: pendingTotal bytes, of which pendingLen
    // have arrived. The buffer grows with what arrives (at most doubling, never beyond pendingTotal)
    // rather than being allocated at the declared size, so that a header claiming a large packet
    // costs memory only in proportion to the bytes actually sent.
    private static final int INITIAL_PENDING_CAPACITY = 16 * 1024;
    private byte[] pending;
    private int pendingLen;
    private int pendingTotal;

    /**
     * @param peer          who sends the bytes this decoder reads: CLIENT for a broker's decoder
     * @param version       the version in use, or null to learn it from the CONNECT (server side)
     * @param maxPacketSize largest packet accepted, fixed header included
     */
    public MqttDecoder(PacketType.Sender peer, MqttVersion version, int maxPacketSize) {
        if (peer == PacketType.Sender.BOTH) {
            throw new IllegalArgumentException("peer must be CLIENT or SERVER");
        }
        if (maxPacketSize < 2) {
            throw new IllegalArgumentException("maxPacketSize < 2");
        }
        if (peer == PacketType.Sender.SERVER && version == null) {
            // only a server-side decoder learns the version from a CONNECT; a client-side one
            // would otherwise fail with a NullPointerException on the first packet
            throw new IllegalArgumentException("a client-side decoder needs the version it connected with");
        }
        this.peer = peer;
        this.version = version;
        this.maxPacketSize = maxPacketSize;
    }

    /** A broker's decoder for what a client sends; the version comes from the CONNECT. */
    public static MqttDecoder forServer(int maxPacketSize) {
        return new MqttDecoder(PacketType.Sender.CLIENT, null, maxPacketSize);
    }

    /** A client's decoder for what a broker sends. */
    public static MqttDecoder forClient(MqttVersion version, int maxPacketSize) {
        return new MqttDecoder(PacketType.Sender.SERVER, version, maxPacketSize);
    }

    public MqttVersion version() {
        return version;
    }

    /** Fixes the version, e.g. when a client decoder is reused for a new connection. */
    public void version(MqttVersion v) {
        this.version = v;
    }

    /** The Protocol Level of the last CONNECT read (even a rejected one), or -1. */
    public int connectProtocolLevel() {
        return connectLevel;
    }

    /** The Protocol Name of the last CONNECT read (even a rejected one), or null. */
    public String connectProtocolName() {
        return connectName;
    }

    /**
     * For fault injection only (a broker made to skip a malformed packet instead of closing): after a
     * packet whose length is known is rejected, decoding resumes with the next packet instead of
     * stopping. A Remaining Length that cannot be read still stops the decoder, since the next packet
     * cannot be found. A strict broker never turns this on.
     */
    public MqttDecoder resumeAfterMalformed(boolean on) {
        this.resume = on;
        return this;
    }

    /**
     * For fault injection only (a broker that skips a check): the check of statement {@code id} is not
     * made. Supported: {@code MQTT-3.1.2-1} (any protocol name is accepted, the version taken from the
     * protocol level alone) and {@code MQTT-3.1.2-3} (the CONNECT reserved flag is ignored).
     */
    public MqttDecoder tolerate(String id) {
        switch (id) {
            case "MQTT-3.1.2-1": anyProtocolName = true; break;
            case "MQTT-3.1.2-3": connectReservedFlag = true; break;
            default: throw new IllegalArgumentException("the decoder cannot skip the check of " + id);
        }
        return this;
    }

    /** True once a Malformed was reported; later bytes are ignored. */
    public boolean failed() {
        return failed;
    }

    /** Bytes consumed so far: the stream offset of the next byte. */
    public long position() {
        return consumed;
    }

    /** True if part of a packet is buffered, waiting for more bytes. */
    public boolean hasPartialPacket() {
        return headerLen > 0 || pending != null;
    }

    /**
     * Bytes currently allocated to hold a partial packet (0 when none is pending). Never more than
     * the pending packet's size, which the maximum packet size bounds.
     */
    public int bufferCapacity() {
        return pending == null ? 0 : pending.length;
    }

    /** Decodes a whole chunk, collecting the results. */
    public List<DecodeResult> feed(byte[] chunk) {
        List<DecodeResult> out = new ArrayList<>(2);
        feed(chunk, 0, chunk.length, out::add);
        return out;
    }

    /** Decodes {@code len} bytes at {@code off}, passing each result to {@code sink} in order. */
    public void feed(byte[] b, int off, int len, Consumer<? super DecodeResult> sink) {
        while (len > 0 && !failed) {
            if (skip > 0) {
                // the rest of a rejected packet (resumeAfterMalformed)
                int n = (int) Math.min(skip, len);
                skip -= n;
                consumed += n;
                off += n;
                len -= n;
                continue;
            }
            if (pending != null) {
                int n = Math.min(len, pendingTotal - pendingLen);
                if (pendingLen + n > pending.length) {
                    pending = java.util.Arrays.copyOf(pending,
                            (int) Math.min(pendingTotal, Math.max(pendingLen + n, 2L * pending.length)));
                }
                System.arraycopy(b, off, pending, pendingLen, n);
                pendingLen += n;
                off += n;
                len -= n;
                if (pendingLen == pendingTotal) {
                    byte[] whole = pending;
                    pending = null;
                    pendingLen = 0;
                    emit(decodeWhole(whole, 0, pendingTotal), pendingTotal, sink);
                }
                continue;
            }
            if (headerLen > 0) {
                // complete a split fixed header one byte at a time; at most 4 more bytes
                header[headerLen++] = b[off++];
                len--;
                int r = scanHeader(header, 0, headerLen);
                if (r == NEED_MORE) {
                    continue;
                }
                if (r < 0) {
                    sink.accept(lastFailure);
                    return;
                }
                int total = r;
                int have = headerLen;
                headerLen = 0;
                if (!checkedHeader(header, 0, total, have, sink)) {
                    if (resume && !failed) {
                        continue;
                    }
                    return;
                }
                if (total == have) {
                    byte[] whole = java.util.Arrays.copyOf(header, have);
                    emit(decodeWhole(whole, 0, have), have, sink);
                } else {
                    startPending(total, have);
                    System.arraycopy(header, 0, pending, 0, have);
                    pendingLen = have;
                }
                continue;
            }
            int r = scanHeader(b, off, len);
            if (r == NEED_MORE) {
                System.arraycopy(b, off, header, 0, len);
                headerLen = len;
                return;
            }
            if (r < 0) {
                sink.accept(lastFailure);
                return;
            }
            int total = r;
            if (!checkedHeader(b, off, total, 0, sink)) {
                if (resume && !failed) {
                    continue;
                }
                return;
            }
            if (total <= len) {
                emit(decodeWhole(b, off, total), total, sink);
                off += total;
                len -= total;
            } else {
                startPending(total, len);
                System.arraycopy(b, off, pending, 0, len);
                pendingLen = len;
                return;
            }
        }
    }

    private void startPending(int total, int have) {
        pendingTotal = total;
        pending = new byte[Math.min(total, Math.max(have, INITIAL_PENDING_CAPACITY))];
    }

    private static final int NEED_MORE = -1;
    private static final int BAD = -2;
    private Malformed lastFailure;
    private final Cursor cursor = new Cursor();

    /**
     * Reads the fixed header at {@code off}: returns the packet's total length, NEED_MORE, or BAD
     * (with {@link #lastFailure} set) for a Remaining Length that is too long or not minimal.
     */
    private int scanHeader(byte[] b, int off, int len) {
        if (len < 2) {
            return NEED_MORE;
        }
        int value = 0;
        int shift = 0;
        for (int i = 1; i <= 4; i++) {
            if (i >= len) {
                return NEED_MORE;
            }
            int digit = b[off + i] & 0xFF;
            value |= (digit & 0x7F) << shift;
            shift += 7;
            if ((digit & 0x80) == 0) {
                if (i > 1 && digit == 0) {
                    // the last byte is zero: the same value fits in fewer bytes
                    lastFailure = fail(0x81, consumed + i, typeOf(b[off]),
                            "Remaining Length is not encoded in the minimum number of bytes", sid("§2.2.3", "MQTT-1.5.5-1"));
                    failed = true;
                    return BAD;
                }
                return 1 + i + value;
            }
        }
        lastFailure = fail(0x81, consumed + 5, typeOf(b[off]),
                "Remaining Length takes more than four bytes", sid("§2.2.3", "§1.5.5"));
        failed = true;
        return BAD;
    }

    private PacketType typeOf(byte first) {
        return PacketType.fromCode((first & 0xFF) >> 4);
    }

    /**
     * Judges the fixed header before the body is read: packet type, reserved flags, direction and
     * size. Reports a failure to {@code sink} and returns false if the packet is rejected.
     */
    private boolean checkedHeader(byte[] b, int off, int total, int taken, Consumer<? super DecodeResult> sink) {
        Malformed m = judgeHeader(b[off] & 0xFF, total);
        if (m != null) {
            if (resume) {
                // the packet's length is known: pass over it ({@code taken} of its bytes are already read)
                consumed += taken;
                skip = total - taken;
            } else {
                failed = true;
            }
            sink.accept(m);
            return false;
        }
        return true;
    }

    private Malformed judgeHeader(int first, int total) {
        PacketType type = PacketType.fromCode(first >> 4);
        int flags = first & 0x0F;
        boolean v5 = version == null || version.isV5();
        if (type == null || (type == PacketType.AUTH && version != null && !v5)) {
            return fail(0x81, consumed, null, String.format("reserved packet type %d", first >> 4),
                    sid("§2.2.1", "§2.1.2"));
        }
        if (version == null && type != PacketType.CONNECT && peer == PacketType.Sender.CLIENT) {
            return fail(0x82, consumed, type, "first packet is " + type + ", not CONNECT", sid("MQTT-3.1.0-1", "MQTT-3.1.0-1"));
        }
        boolean fromClient = peer == PacketType.Sender.CLIENT;
        if (fromClient ? !type.sentByClient() : !type.sentByServer(v5)) {
            return fail(0x82, consumed, type, type + " is not sent by a " + (fromClient ? "Client" : "Server"),
                    sid("§2.2.1", "§2.1.2"));
        }
        if (type == PacketType.PUBLISH) {
            int qos = (flags >> 1) & 0x03;
            if (qos == 3) {
                return fail(0x81, consumed, type, "PUBLISH with QoS 3 (both QoS bits set)", sid("MQTT-3.3.1-4", "MQTT-3.3.1-4"));
            }
            if (qos == 0 && (flags & 0x08) != 0) {
                return fail(0x81, consumed, type, "PUBLISH with QoS 0 has DUP set", sid("MQTT-3.3.1-2", "MQTT-3.3.1-2"));
            }
        } else if (flags != type.requiredFlags()) {
            String why = String.format("%s fixed header flags are 0x%X, must be 0x%X", type, flags, type.requiredFlags());
            return fail(0x81, consumed, type, why, reservedFlagStatements(type));
        }
        if (total > maxPacketSize) {
            return fail(0x95, consumed, type, "packet of " + total + " bytes exceeds the maximum of " + maxPacketSize,
                    fromClient ? sid("§2.2.3", "MQTT-3.2.2-15") : sid("§2.2.3", "MQTT-3.1.2-24"));
        }
        return null;
    }

    private String[] reservedFlagStatements(PacketType type) {
        switch (type) {
            case PUBREL:
                return sid("MQTT-2.2.2-1,MQTT-2.2.2-2,MQTT-3.6.1-1", "MQTT-2.1.3-1,MQTT-3.6.1-1");
            case SUBSCRIBE:
                return sid("MQTT-2.2.2-1,MQTT-2.2.2-2,MQTT-3.8.1-1", "MQTT-2.1.3-1,MQTT-3.8.1-1");
            case UNSUBSCRIBE:
                return sid("MQTT-2.2.2-1,MQTT-2.2.2-2,MQTT-3.10.1-1", "MQTT-2.1.3-1,MQTT-3.10.1-1");
            case DISCONNECT:
                return sid("MQTT-2.2.2-1,MQTT-2.2.2-2,MQTT-3.14.1-1", "MQTT-2.1.3-1,MQTT-3.14.1-1");
            case AUTH:
                return sid("MQTT-2.2.2-1,MQTT-2.2.2-2", "MQTT-2.1.3-1,MQTT-3.15.1-1");
            default:
                return sid("MQTT-2.2.2-1,MQTT-2.2.2-2", "MQTT-2.1.3-1");
        }
    }

    private void emit(DecodeResult r, int length, Consumer<? super DecodeResult> sink) {
        if (r instanceof Malformed && !resume) {
            failed = true;
        }
        consumed += length;
        sink.accept(r);
    }

    /** Decodes a complete packet of {@code total} bytes at {@code off}; the header was judged. */
    private DecodeResult decodeWhole(byte[] b, int off, int total) {
        long start = consumed;
        int first = b[off] & 0xFF;
        PacketType type = PacketType.fromCode(first >> 4);
        int hdr = 2;
        while ((b[off + hdr - 1] & 0x80) != 0) {
            hdr++;
        }
        Cursor c = cursor.reset(b, off, off + hdr, off + total, type);
        try {
            Packet p = decodeBody(type, first & 0x0F, c);
            if (c.pos != c.end) {
                throw c.fail(0x81, "trailing bytes after the " + type + " packet", trailingStatements(type));
            }
            return new DecodeResult.Decoded(p, start, total);
        } catch (Fail f) {
            return f.malformed;
        }
    }

    private String[] trailingStatements(PacketType type) {
        if (type == PacketType.CONNECT) {
            return sid("MQTT-3.1.4-1", "MQTT-3.1.4-1");
        }
        return sid("§2.2.3", "§2.1.4");
    }

    private Packet decodeBody(PacketType type, int flags, Cursor c) {
        switch (type) {
            case CONNECT: return decodeConnect(c);
            case CONNACK: return decodeConnack(c);
            case PUBLISH: return decodePublish(flags, c);
            case PUBACK:
            case PUBREC:
            case PUBREL:
            case PUBCOMP:
                return decodePubAck(type, c);
            case SUBSCRIBE: return decodeSubscribe(c);
            case SUBACK: return decodeSuback(c);
            case UNSUBSCRIBE: return decodeUnsubscribe(c);
            case UNSUBACK: return decodeUnsuback(c);
            case PINGREQ:
                c.expectEmpty();
                return Pingreq.INSTANCE;
            case PINGRESP:
                c.expectEmpty();
                return Pingresp.INSTANCE;
            case DISCONNECT: return decodeDisconnect(c);
            case AUTH: return decodeAuth(c);
            default: throw new IllegalStateException(type.toString());
        }
    }

    // ---------------------------------------------------------------- CONNECT

    private Connect decodeConnect(Cursor c) {
        String[] format = sid("MQTT-3.1.4-1", "MQTT-3.1.4-1");
        int nameLen = c.u16(format);
        int nameAt = c.pos;
        c.need(nameLen, format);
        String name = protocolName(c.b, nameAt, nameLen);
        boolean nameOk = name != null;
        if (!nameOk) {
            name = new String(c.b, nameAt, nameLen, java.nio.charset.StandardCharsets.UTF_8);
        }
        c.pos += nameLen;
        int level = c.u8(format);
        connectName = name;
        connectLevel = level;
        if (!nameOk && !anyProtocolName) {
            c.pos = nameAt;
            throw c.fail(0x84, "protocol name is '" + printable(name) + "', not 'MQTT'", "MQTT-3.1.2-1");
        }
        MqttVersion v = MqttVersion.fromLevel(level);
        if (v == null || (!anyProtocolName && !v.protocolName().equals(name))) {
            c.pos--;
            // 3.1.1 answers CONNACK 0x01, 5.0 may answer 0x84; both then close
            throw c.fail(0x84, "unsupported protocol level " + level + " for protocol name '" + name + "'",
                    "MQTT-3.1.2-2");
        }
        if (version == null) {
            version = v; // judge the rest of the stream by the version the client asked for
        }
        MqttVersion saved = version;
        version = v;
        try {
            return connectBody(c, v);
        } finally {
            version = saved;
        }
    }

    /** "MQTT" or "MQIsdp" (the constants) if those are the bytes, else null: no String decoded per CONNECT. */
    private static String protocolName(byte[] b, int at, int len) {
        if (len == 4 && b[at] == 'M' && b[at + 1] == 'Q' && b[at + 2] == 'T' && b[at + 3] == 'T') {
            return "MQTT";
        }
        if (len == 6 && b[at] == 'M' && b[at + 1] == 'Q' && b[at + 2] == 'I' && b[at + 3] == 's'
                && b[at + 4] == 'd' && b[at + 5] == 'p') {
            return "MQIsdp";
        }
        return null;
    }

    private Connect connectBody(Cursor c, MqttVersion v) {
        boolean v5 = v.isV5();
        int flagsAt = c.pos;
        int flags = c.u8(sid("MQTT-3.1.4-1", "MQTT-3.1.4-1"));
        if ((flags & 0x01) != 0 && !connectReservedFlag) {
            c.pos = flagsAt;
            throw c.fail(0x81, "CONNECT reserved flag is 1", "MQTT-3.1.2-3");
        }
        boolean willFlag = (flags & 0x04) != 0;
        int willQos = (flags >> 3) & 0x03;
        boolean willRetain = (flags & 0x20) != 0;
        boolean passwordFlag = (flags & 0x40) != 0;
        boolean usernameFlag = (flags & 0x80) != 0;
        if (!willFlag && willQos != 0) {
            c.pos = flagsAt;
            throw c.fail(0x81, "Will QoS is " + willQos + " but the Will Flag is 0", sid("MQTT-3.1.2-11,MQTT-3.1.2-13", "MQTT-3.1.2-11"));
        }
        if (!willFlag && willRetain) {
            c.pos = flagsAt;
            throw c.fail(0x81, "Will Retain is 1 but the Will Flag is 0", sid("MQTT-3.1.2-11,MQTT-3.1.2-15", "MQTT-3.1.2-13"));
        }
        if (willQos == 3) {
            c.pos = flagsAt;
            throw c.fail(0x81, "Will QoS is 3", sid("MQTT-3.1.2-14", "MQTT-3.1.2-12"));
        }
        if (!v5 && passwordFlag && !usernameFlag) {
            c.pos = flagsAt;
            throw c.fail(0x81, "Password Flag is 1 but the User Name Flag is 0", "MQTT-3.1.2-22");
        }
        int keepAlive = c.u16(sid("MQTT-3.1.4-1", "MQTT-3.1.4-1"));
        Properties props = v5 ? readProperties(c, PacketType.CONNECT, false) : Properties.EMPTY;
        Utf8String clientId = c.utf8(sid("MQTT-3.1.3-3,MQTT-3.1.3-4", "MQTT-3.1.3-3,MQTT-3.1.3-4"));
        Will will = null;
        if (willFlag) {
            String[] present = sid("MQTT-3.1.2-9", "MQTT-3.1.2-9");
            Properties willProps = v5 ? readProperties(c, PacketType.PUBLISH, true) : Properties.EMPTY;
            int topicAt = c.pos;
            Utf8String topic = c.utf8(concat(present, sid("MQTT-3.1.3-10", "MQTT-3.1.3-11")));
            checkTopicName(c, topic, topicAt, false);
            BinaryData payload = c.binary(present);
            will = new Will(TopicName.unchecked(topic), payload, QoS.of(willQos), willRetain, willProps);
        }
        Utf8String username = null;
        if (usernameFlag) {
            username = c.utf8(sid("MQTT-3.1.2-19,MQTT-3.1.3-11", "MQTT-3.1.2-17,MQTT-3.1.3-12"));
        }
        BinaryData password = null;
        if (passwordFlag) {
            password = c.binary(sid("MQTT-3.1.2-21", "MQTT-3.1.2-19"));
        }
        if (c.pos != c.end) {
            throw c.fail(0x81, "bytes after the last field the CONNECT flags announce",
                    sid("MQTT-3.1.4-1,MQTT-3.1.2-18,MQTT-3.1.2-20", "MQTT-3.1.4-1,MQTT-3.1.2-16,MQTT-3.1.2-18"));
        }
        return new Connect(v, clientId, (flags & 0x02) != 0, keepAlive, props, will, username, password);
    }

    // ---------------------------------------------------------------- CONNACK

    private Connack decodeConnack(Cursor c) {
        boolean v5 = version.isV5();
        if (!v5 && c.end - c.pos != 2) {
            throw c.fail(0x81, "CONNACK Remaining Length is " + (c.end - c.pos) + ", must be 2", "§3.2.1");
        }
        int flagsAt = c.pos;
        int flags = c.u8("§3.2.2");
        if ((flags & 0xFE) != 0) {
            c.pos = flagsAt;
            throw c.fail(0x81, "CONNACK Acknowledge Flags reserved bits are set", sid("§3.2.2.1", "MQTT-3.2.2-1"));
        }
        int rcAt = c.pos;
        int rc = c.u8("§3.2.2");
        if (v5 ? ReasonCode.of(rc, PacketType.CONNACK) == null : !ReturnCode311.isConnackCode(rc)) {
            c.pos = rcAt;
            throw c.fail(0x81, String.format("0x%02X is not a CONNACK %s code", rc, v5 ? "reason" : "return"),
                    sid("§3.2.2.3", "MQTT-3.2.2-8"));
        }
        if ((flags & 0x01) != 0 && rc != 0) {
            // the same rule PacketValidator applies before sending: a refused connection has no session
            c.pos = flagsAt;
            throw c.fail(0x82, "Session Present is set with the non-zero code " + String.format("0x%02X", rc),
                    sid("MQTT-3.2.2-4", "MQTT-3.2.2-6"));
        }
        Properties props = v5 ? readProperties(c, PacketType.CONNACK, false) : Properties.EMPTY;
        return new Connack((flags & 0x01) != 0, rc, props);
    }

    // ---------------------------------------------------------------- PUBLISH

    private Publish decodePublish(int flags, Cursor c) {
        boolean v5 = version.isV5();
        QoS qos = QoS.of((flags >> 1) & 0x03);
        int topicAt = c.pos;
        Utf8String topic = c.utf8(sid("MQTT-3.3.2-1", "MQTT-3.3.2-1"));
        int packetId = 0;
        if (qos != QoS.AT_MOST_ONCE) {
            int idAt = c.pos;
            packetId = c.u16("§3.3.2.2");
            if (packetId == 0) {
                c.pos = idAt;
                throw c.fail(0x81, "PUBLISH with QoS > 0 has Packet Identifier 0",
                        peer == PacketType.Sender.CLIENT ? sid("MQTT-2.3.1-1", "MQTT-2.2.1-3") : sid("MQTT-2.3.1-1", "MQTT-2.2.1-4"));
            }
        }
        Properties props = v5 ? readProperties(c, PacketType.PUBLISH, false) : Properties.EMPTY;
        boolean aliased = props.has(PropertyId.TOPIC_ALIAS);
        checkTopicName(c, topic, topicAt, aliased);
        BinaryData payload = c.rest();
        return new Publish((flags & 0x08) != 0, qos, (flags & 0x01) != 0, TopicName.unchecked(topic), packetId,
                props, payload);
    }

    /**
     * Topic Name rules: no wildcards, not empty (unless a 5.0 Topic Alias stands in for it).
     * {@code at} is the offset of the name's length field. The wildcards are looked for in the bytes:
     * '+' and '#' are ASCII, and ASCII bytes never occur inside a multi-byte UTF-8 sequence, so this
     * needs no decoded String.
     */
    private void checkTopicName(Cursor c, Utf8String topic, int at, boolean emptyAllowed) {
        int len = topic.encodedLength();
        if (len == 0) {
            if (!emptyAllowed) {
                c.pos = at;
                throw c.fail(version.isV5() ? 0x82 : 0x81, "empty Topic Name" + (version.isV5() ? " without a Topic Alias" : ""),
                        sid("MQTT-4.7.3-1", "MQTT-4.7.3-1,§3.3.2.1"));
            }
            return;
        }
        byte[] b = c.b;
        for (int i = at + 2, end = at + 2 + len; i < end; i++) {
            if (b[i] == '+' || b[i] == '#') {
                c.pos = at;
                throw c.fail(0x81, "Topic Name '" + printable(topic.toString()) + "' contains a wildcard",
                        sid("MQTT-3.3.2-2,MQTT-4.7.1-1", "MQTT-3.3.2-2,MQTT-4.7.0-1"));
            }
        }
    }

    // ---------------------------------------------------------------- PUBACK, PUBREC, PUBREL, PUBCOMP

    private PubAck decodePubAck(PacketType type, Cursor c) {
        boolean v5 = version.isV5();
        int remaining = c.end - c.pos;
        if (!v5 && remaining != 2) {
            throw c.fail(0x81, type + " Remaining Length is " + remaining + ", must be 2", ACK_FIXED_HEADER[type.code()]);
        }
        int idAt = c.pos;
        int packetId = c.u16(ACK_VARIABLE_HEADER[type.code()]);
        if (packetId == 0) {
            c.pos = idAt;
            throw c.fail(0x81, type + " has Packet Identifier 0", sid("MQTT-2.3.1-6", "MQTT-2.2.1-5"));
        }
        int rc = 0;
        Properties props = Properties.EMPTY;
        if (v5 && c.pos < c.end) {
            int rcAt = c.pos;
            rc = c.u8(ACK_REASON_CODE[type.code()]);
            if (ReasonCode.of(rc, type) == null) {
                c.pos = rcAt;
                throw c.fail(0x81, String.format("0x%02X is not a %s reason code", rc, type), ackReasonStatement(type));
            }
            if (c.pos < c.end) {
                props = readProperties(c, type, false);
            }
        }
        return PubAck.of(type, packetId, rc, props);
    }

    // §3.4.1, §3.4.2, §3.4.2.1 ... §3.7.2.1, indexed by packet type code (PUBACK 4 .. PUBCOMP 7):
    // built once rather than concatenated for every acknowledgement decoded
    private static final String[] ACK_FIXED_HEADER = new String[8];
    private static final String[] ACK_VARIABLE_HEADER = new String[8];
    private static final String[] ACK_REASON_CODE = new String[8];

    static {
        for (int code = 4; code <= 7; code++) {
            ACK_FIXED_HEADER[code] = "§3." + code + ".1";
            ACK_VARIABLE_HEADER[code] = "§3." + code + ".2";
            ACK_REASON_CODE[code] = "§3." + code + ".2.1";
        }
    }

    private static String ackReasonStatement(PacketType type) {
        return "MQTT-3." + type.code() + ".2-1";
    }

    // ---------------------------------------------------------------- SUBSCRIBE, SUBACK

    private Subscribe decodeSubscribe(Cursor c) {
        boolean v5 = version.isV5();
        int packetId = packetIdentifier(c, PacketType.SUBSCRIBE);
        Properties props = v5 ? readProperties(c, PacketType.SUBSCRIBE, false) : Properties.EMPTY;
        if (c.pos == c.end) {
            throw c.fail(v5 ? 0x82 : 0x81, "SUBSCRIBE without any Topic Filter", sid("MQTT-3.8.3-3", "MQTT-3.8.3-2"));
        }
        List<TopicSubscription> subs = new ArrayList<>(1);
        while (c.pos < c.end) {
            int filterAt = c.pos;
            Utf8String filter = c.utf8(sid("MQTT-3.8.3-1", "MQTT-3.8.3-1"));
            checkTopicFilter(c, filter, filterAt);
            int optAt = c.pos;
            int opt = c.u8(sid("MQTT-3.8.3-4", "§3.8.3.1"));
            int qos = opt & 0x03;
            if (v5) {
                if ((opt & 0xC0) != 0) {
                    c.pos = optAt;
                    throw c.fail(0x81, "Subscription Options reserved bits are set", "MQTT-3.8.3-5");
                }
                if (qos == 3) {
                    c.pos = optAt;
                    throw c.fail(0x81, "Subscription Options request QoS 3", "§3.8.3.1");
                }
                if (((opt >> 4) & 0x03) == 3) {
                    c.pos = optAt;
                    throw c.fail(0x82, "Retain Handling is 3", "§3.8.3.1");
                }
                if ((opt & 0x04) != 0 && TopicFilter.unchecked(filter).isShared()) {
                    c.pos = optAt;
                    throw c.fail(0x82, "No Local is set on a Shared Subscription", "MQTT-3.8.3-4");
                }
            } else if ((opt & 0xFC) != 0 || qos == 3) {
                c.pos = optAt;
                throw c.fail(0x81, String.format("requested QoS byte 0x%02X has reserved bits set or QoS 3", opt), "MQTT-3.8.3-4");
            }
            subs.add(new TopicSubscription(TopicFilter.unchecked(filter), QoS.of(qos), (opt & 0x04) != 0,
                    (opt & 0x08) != 0, (opt >> 4) & 0x03));
        }
        return new Subscribe(packetId, props, subs);
    }

    private void checkTopicFilter(Cursor c, Utf8String filter, int at) {
        String problem = TopicFilter.problem(filter.toString(), version.isV5());
        if (problem != null) {
            c.pos = at;
            String[] ids;
            // shared-subscription problems first: "empty share name" is a §4.8.2 problem, not an
            // empty filter (MQTT-4.7.3-1)
            if (problem.contains("share")) {
                ids = sid("§4.7.1", "MQTT-4.8.2-1,MQTT-4.8.2-2");
            } else if (problem.startsWith("empty")) {
                ids = sid("MQTT-4.7.3-1", "MQTT-4.7.3-1");
            } else if (problem.contains("'#'")) {
                ids = sid("MQTT-4.7.1-2", "MQTT-4.7.1-1");
            } else {
                ids = sid("MQTT-4.7.1-3", "MQTT-4.7.1-2");
            }
            throw c.fail(problem.contains("share") ? 0x82 : 0x81,
                    "Topic Filter '" + printable(filter.toString()) + "': " + problem, ids);
        }
    }

    private Suback decodeSuback(Cursor c) {
        boolean v5 = version.isV5();
        int packetId = packetIdentifier(c, PacketType.SUBACK);
        Properties props = v5 ? readProperties(c, PacketType.SUBACK, false) : Properties.EMPTY;
        List<Integer> codes = new ArrayList<>(c.end - c.pos);
        if (c.pos == c.end) {
            throw c.fail(0x81, "SUBACK without any reason code", sid("MQTT-3.8.4-5", "MQTT-3.8.4-6"));
        }
        while (c.pos < c.end) {
            int at = c.pos;
            int rc = c.u8("§3.9.3");
            boolean ok = v5 ? ReasonCode.of(rc, PacketType.SUBACK) != null : ReturnCode311.isSubackCode(rc);
            if (!ok) {
                c.pos = at;
                throw c.fail(0x81, String.format("0x%02X is not a SUBACK %s code", rc, v5 ? "reason" : "return"),
                        "MQTT-3.9.3-2");
            }
            codes.add(rc);
        }
        return new Suback(packetId, props, codes);
    }

    // ---------------------------------------------------------------- UNSUBSCRIBE, UNSUBACK

    private Unsubscribe decodeUnsubscribe(Cursor c) {
        boolean v5 = version.isV5();
        int packetId = packetIdentifier(c, PacketType.UNSUBSCRIBE);
        Properties props = v5 ? readProperties(c, PacketType.UNSUBSCRIBE, false) : Properties.EMPTY;
        if (c.pos == c.end) {
            throw c.fail(v5 ? 0x82 : 0x81, "UNSUBSCRIBE without any Topic Filter", "MQTT-3.10.3-2");
        }
        List<TopicFilter> filters = new ArrayList<>(1);
        while (c.pos < c.end) {
            int at = c.pos;
            Utf8String filter = c.utf8("MQTT-3.10.3-1");
            checkTopicFilter(c, filter, at);
            filters.add(TopicFilter.unchecked(filter));
        }
        return new Unsubscribe(packetId, props, filters);
    }

    private Unsuback decodeUnsuback(Cursor c) {
        boolean v5 = version.isV5();
        if (!v5 && c.end - c.pos != 2) {
            throw c.fail(0x81, "UNSUBACK Remaining Length is " + (c.end - c.pos) + ", must be 2", "§3.11.1");
        }
        int packetId = packetIdentifier(c, PacketType.UNSUBACK);
        if (!v5) {
            return new Unsuback(packetId, Properties.EMPTY, List.of());
        }
        Properties props = readProperties(c, PacketType.UNSUBACK, false);
        if (c.pos == c.end) {
            throw c.fail(0x81, "UNSUBACK without any reason code", "MQTT-3.11.3-2");
        }
        List<Integer> codes = new ArrayList<>(c.end - c.pos);
        while (c.pos < c.end) {
            int at = c.pos;
            int rc = c.u8("§3.11.3");
            if (ReasonCode.of(rc, PacketType.UNSUBACK) == null) {
                c.pos = at;
                throw c.fail(0x81, String.format("0x%02X is not an UNSUBACK reason code", rc), "MQTT-3.11.3-2");
            }
            codes.add(rc);
        }
        return new Unsuback(packetId, props, codes);
    }

    private int packetIdentifier(Cursor c, PacketType type) {
        int at = c.pos;
        int id = c.u16(sid("§2.3.1", "§2.2.1")); // Packet Identifier: §2.3.1 in 3.1.1, §2.2.1 in 5.0
        if (id == 0) {
            c.pos = at;
            String[] ids;
            if (type == PacketType.SUBACK || type == PacketType.UNSUBACK) {
                ids = sid("MQTT-2.3.1-7", "MQTT-2.2.1-6");
            } else {
                ids = sid("MQTT-2.3.1-1", "MQTT-2.2.1-3");
            }
            throw c.fail(0x81, type + " has Packet Identifier 0", ids);
        }
        return id;
    }

    // ---------------------------------------------------------------- DISCONNECT, AUTH

    private Disconnect decodeDisconnect(Cursor c) {
        if (!version.isV5()) {
            c.expectEmpty();
            return Disconnect.NORMAL;
        }
        if (c.pos == c.end) {
            return Disconnect.NORMAL;
        }
        int at = c.pos;
        int rc = c.u8("§3.14.2.1");
        if (ReasonCode.of(rc, PacketType.DISCONNECT) == null) {
            c.pos = at;
            throw c.fail(0x81, String.format("0x%02X is not a DISCONNECT reason code", rc), "MQTT-3.14.2-1");
        }
        Properties props = c.pos < c.end ? readProperties(c, PacketType.DISCONNECT, false) : Properties.EMPTY;
        if (peer == PacketType.Sender.SERVER && props.has(PropertyId.SESSION_EXPIRY_INTERVAL)) {
            throw c.fail(0x82, "a Server's DISCONNECT carries a Session Expiry Interval", "MQTT-3.14.2-2");
        }
        return new Disconnect(rc, props);
    }

    private Auth decodeAuth(Cursor c) {
        if (c.pos == c.end) {
            return new Auth(0, Properties.EMPTY);
        }
        int at = c.pos;
        int rc = c.u8("§3.15.2.1");
        if (ReasonCode.of(rc, PacketType.AUTH) == null) {
            c.pos = at;
            throw c.fail(0x81, String.format("0x%02X is not an AUTH reason code", rc), "MQTT-3.15.2-1");
        }
        Properties props = c.pos < c.end ? readProperties(c, PacketType.AUTH, false) : Properties.EMPTY;
        return new Auth(rc, props);
    }

    // ---------------------------------------------------------------- properties

    /**
     * Reads a Property Length and the properties it covers (§2.2.2). {@code scope} is the packet;
     * {@code will} reads a CONNECT's Will Properties instead.
     */
    private Properties readProperties(Cursor c, PacketType scope, boolean will) {
        int lenAt = c.pos;
        // a missing Property Length breaks MQTT-2.2.2-1 (it must be present, 0 when there are no
        // properties); a non-minimal one breaks MQTT-1.5.5-1 like any Variable Byte Integer
        int length = c.vbi("MQTT-1.5.5-1", "MQTT-2.2.2-1");
        if (length == 0) {
            return Properties.EMPTY;
        }
        if (length > c.end - c.pos) {
            c.pos = lenAt;
            throw c.fail(0x81, "Property Length " + length + " runs past the end of the packet", "§2.2.2.1");
        }
        int end = c.pos + length;
        List<Property> list = new ArrayList<>(4);
        long seen = 0;
        while (c.pos < end) {
            int at = c.pos;
            int code = c.vbiWithin(end, "§2.2.2.2");
            PropertyId id = PropertyId.fromId(code);
            if (id == null) {
                c.pos = at;
                throw c.fail(0x81, String.format("unknown property identifier 0x%02X in %s", code, where(scope, will)), "§2.2.2.2");
            }
            if (will ? !id.allowedInWill() : !id.allowedIn(scope)) {
                c.pos = at;
                throw c.fail(0x81, id + " is not allowed in " + where(scope, will), "§2.2.2.2");
            }
            long bit = 1L << id.id();
            if ((seen & bit) != 0 && !(id.repeatableIn(scope) && !will)
                    && !(will && id == PropertyId.USER_PROPERTY)) {
                c.pos = at;
                throw c.fail(0x82, id + " appears more than once in " + where(scope, will), "§2.2.2.2");
            }
            seen |= bit;
            list.add(readPropertyValue(c, id, end, scope, will, at));
        }
        if (c.pos != end) {
            throw c.fail(0x81, "the last property runs past the Property Length", "§2.2.2.1");
        }
        return Properties.of(list);
    }

    /** Where properties are, for messages: built only when a packet is rejected. */
    private static String where(PacketType scope, boolean will) {
        return will ? "Will Properties" : scope + " properties";
    }

    private Property readPropertyValue(Cursor c, PropertyId id, int end, PacketType scope, boolean will, int at) {
        int saveEnd = c.end;
        c.end = end; // a value may not run past the properties
        try {
            switch (id.type()) {
                case BYTE: {
                    int v = c.u8("§2.2.2.2");
                    checkByteProperty(c, id, v, at);
                    return Property.number(id, v);
                }
                case TWO_BYTE_INTEGER: {
                    int v = c.u16("§2.2.2.2");
                    if (v == 0 && (id == PropertyId.RECEIVE_MAXIMUM || id == PropertyId.TOPIC_ALIAS)) {
                        c.pos = at;
                        // 5.0 §3.3.4: Topic Alias 0 has its own reason code, 0x94 (Topic Alias invalid)
                        throw c.fail(id == PropertyId.TOPIC_ALIAS ? 0x94 : 0x82, id + " is 0",
                                id == PropertyId.TOPIC_ALIAS ? new String[] {"MQTT-3.3.2-8"}
                                : new String[] {scope == PacketType.CONNECT ? "§3.1.2.11.3" : "§3.2.2.3.3"});
                    }
                    return Property.number(id, v);
                }
                case FOUR_BYTE_INTEGER: {
                    long v = c.u32("§2.2.2.2");
                    if (v == 0 && id == PropertyId.MAXIMUM_PACKET_SIZE) {
                        c.pos = at;
                        throw c.fail(0x82, "Maximum Packet Size is 0", scope == PacketType.CONNECT ? "§3.1.2.11.4" : "§3.2.2.3.6");
                    }
                    return Property.number(id, v);
                }
                case VARIABLE_BYTE_INTEGER: {
                    int v = c.vbi("MQTT-1.5.5-1", "§2.2.2.2");
                    if (id == PropertyId.SUBSCRIPTION_IDENTIFIER) {
                        if (v == 0) {
                            c.pos = at;
                            throw c.fail(0x82, "Subscription Identifier is 0", "§3.8.2.1.2");
                        }
                        if (scope == PacketType.PUBLISH && peer == PacketType.Sender.CLIENT) {
                            c.pos = at;
                            throw c.fail(0x82, "a Client's PUBLISH carries a Subscription Identifier", "MQTT-3.3.4-6");
                        }
                    }
                    return Property.number(id, v);
                }
                case UTF8_STRING: {
                    int strAt = c.pos;
                    Utf8String s = c.utf8(stringStatements(id));
                    if (id == PropertyId.RESPONSE_TOPIC) {
                        String t = s.toString();
                        if (t.isEmpty() || t.indexOf('+') >= 0 || t.indexOf('#') >= 0) {
                            c.pos = strAt;
                            throw c.fail(0x82, "Response Topic '" + printable(t) + "' is not a valid Topic Name",
                                    "MQTT-3.3.2-14");
                        }
                    }
                    return Property.string(id, s);
                }
                case BINARY_DATA:
                    return Property.binary(id, c.binary("§2.2.2.2"));
                case UTF8_STRING_PAIR: {
                    Utf8String k = c.utf8("MQTT-1.5.7-1");
                    Utf8String v = c.utf8("MQTT-1.5.7-1");
                    return Property.userProperty(new StringPair(k, v));
                }
                default:
                    throw new IllegalStateException();
            }
        } finally {
            c.end = saveEnd;
        }
    }

    private static String[] stringStatements(PropertyId id) {
        switch (id) {
            case CONTENT_TYPE: return new String[] {"MQTT-3.3.2-19"};
            case RESPONSE_TOPIC: return new String[] {"MQTT-3.3.2-13"};
            default: return new String[] {"§2.2.2.2"};
        }
    }

    private void checkByteProperty(Cursor c, PropertyId id, int v, int at) {
        boolean flag = id == PropertyId.PAYLOAD_FORMAT_INDICATOR || id == PropertyId.REQUEST_PROBLEM_INFORMATION
                || id == PropertyId.REQUEST_RESPONSE_INFORMATION || id == PropertyId.MAXIMUM_QOS
                || id == PropertyId.RETAIN_AVAILABLE || id == PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE
                || id == PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE || id == PropertyId.SHARED_SUBSCRIPTION_AVAILABLE;
        if (flag && v > 1) {
            c.pos = at;
            throw c.fail(0x82, id + " is " + v + ", must be 0 or 1", "§2.2.2.2");
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Split statement lists, so that naming them costs no allocation on the hot path. Never mutated. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String[]> SPLIT_IDS =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** Picks the statement IDs of the version being decoded; each argument may list several, comma-separated. */
    private String[] sid(String v311, String v5) {
        String s = version != null && !version.isV5() ? v311 : v5;
        String[] ids = SPLIT_IDS.get(s);
        if (ids == null) {
            ids = s.split(",");
            SPLIT_IDS.putIfAbsent(s, ids);
        }
        return ids;
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private Malformed fail(int rc, long offset, PacketType type, String reason, String... ids) {
        return new Malformed(rc, List.of(ids), offset, type, version, reason);
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && i < 64; i++) {
            char ch = s.charAt(i);
            sb.append(ch < 0x20 || ch == 0x7F ? String.format("\\u%04X", (int) ch) : String.valueOf(ch));
        }
        return s.length() > 64 ? sb + "..." : sb.toString();
    }

    /** Internal signal for a rejected packet; never leaves the decoder. */
    private static final class Fail extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final Malformed malformed;

        Fail(Malformed m) {
            super(m.reason(), null, false, false);
            this.malformed = m;
        }
    }

    /**
     * Reads fields of one packet body in {@code [pos, end)}; {@code start} is the packet's first byte.
     * One per decoder, reset for each packet (decoding is not re-entrant), so that decoding a packet
     * does not allocate one.
     */
    private final class Cursor {
        byte[] b;
        int start;
        int pos;
        int end;
        PacketType type;

        Cursor reset(byte[] b, int start, int pos, int end, PacketType type) {
            this.b = b;
            this.start = start;
            this.pos = pos;
            this.end = end;
            this.type = type;
            return this;
        }

        Fail fail(int rc, String reason, String... ids) {
            return new Fail(new Malformed(rc, List.of(ids), consumed + (pos - start), type, version, reason));
        }

        void need(int n, String... ids) {
            if (end - pos < n) {
                throw fail(0x81, type + " ends before a field it must contain", ids);
            }
        }

        void expectEmpty() {
            if (pos != end) {
                // Remaining Length is §2.2.3 in 3.1.1 but §2.1.4 in 5.0 (5.0 has no §2.2.3)
                throw fail(0x81, type + " Remaining Length is " + (end - pos) + ", must be 0",
                        concat(sid("§2.2.3", "§2.1.4"), new String[] {"§" + section() + ".1"}));
            }
        }

        private String section() {
            return "3." + type.code();
        }

        int u8(String... ids) {
            need(1, ids);
            return b[pos++] & 0xFF;
        }

        int u16(String... ids) {
            need(2, ids);
            int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        long u32(String... ids) {
            need(4, ids);
            long v = ((long) (b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8)
                    | (b[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        int vbi(String minimalId, String formatId) {
            return vbiWithin(end, minimalId, formatId);
        }

        int vbiWithin(int limit, String formatId) {
            return vbiWithin(limit, "MQTT-1.5.5-1", formatId);
        }

        int vbiWithin(int limit, String minimalId, String formatId) {
            int at = pos;
            int value = 0;
            int shift = 0;
            for (int i = 0; i < 4; i++) {
                if (pos >= limit) {
                    throw fail(0x81, "Variable Byte Integer runs past its field", formatId);
                }
                int digit = b[pos++] & 0xFF;
                value |= (digit & 0x7F) << shift;
                shift += 7;
                if ((digit & 0x80) == 0) {
                    if (i > 0 && digit == 0) {
                        pos = at;
                        throw fail(0x81, "Variable Byte Integer is not in its shortest form", minimalId);
                    }
                    return value;
                }
            }
            pos = at;
            throw fail(0x81, "Variable Byte Integer takes more than four bytes", "§1.5.5");
        }

        Utf8String utf8(String... ids) {
            int len = u16(ids);
            need(len, ids);
            int at = Utf8.firstProblem(b, pos, len);
            if (at >= 0) {
                Utf8.Problem p = Utf8.problemAt(b, pos, len, at);
                pos += at;
                boolean v5 = version == null || version.isV5();
                String rule = p == Utf8.Problem.NULL_CHARACTER ? (v5 ? "MQTT-1.5.4-2" : "MQTT-1.5.3-2")
                        : (v5 ? "MQTT-1.5.4-1" : "MQTT-1.5.3-1");
                throw fail(0x81, "string " + p.text(), concat(new String[] {rule}, ids));
            }
            Utf8String s = Utf8String.unchecked(b, pos, len);
            pos += len;
            return s;
        }

        BinaryData binary(String... ids) {
            int len = u16(ids);
            need(len, ids);
            BinaryData d = BinaryData.wrap(b, pos, len);
            pos += len;
            return d;
        }

        BinaryData rest() {
            BinaryData d = BinaryData.wrap(b, pos, end - pos);
            pos = end;
            return d;
        }
    }
}
