package dev.mqttharness.benchmarks;

import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.PropertyId;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicName;
import dev.mqttharness.spec.packet.Will;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectPayload;
import io.netty.handler.codec.mqtt.MqttConnectVariableHeader;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.codec.mqtt.NettyMqttAccess;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Our strict codec against Netty's {@code netty-codec-mqtt} on the same MQTT 5 bytes: PUBLISH with
 * a small and a 64 KiB payload, and a CONNECT with properties, a Will and credentials.
 *
 * <p>Both decoders are called directly, without a channel pipeline: ours through
 * {@link MqttDecoder#feed(byte[], int, int, java.util.function.Consumer)}, Netty's through its
 * protected {@code decode} method with the context of an {@link EmbeddedChannel} (which holds the
 * MQTT version attribute Netty's decoder reads). Each decoder gets the whole packet in one buffer,
 * keeps payloads as views (ours a {@link BinaryData} view, Netty's a retained slice), and Netty's
 * messages are released after each operation. Netty runs with its defaults except a 1 MiB maximum
 * message size (its default, 8092 bytes, would refuse the 64 KiB PUBLISH); note that by default it
 * does not validate UTF-8 strictly nor check many of the rules ours enforces.
 *
 * <pre>{@code
 * mvn -q -pl benchmarks -am package -DskipTests && java -jar benchmarks/target/benchmarks.jar Codec -f 1 -wi 3 -i 5
 * }</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
    static final int MAX = 1 << 20;
    static final dev.mqttharness.spec.MqttVersion V5 = dev.mqttharness.spec.MqttVersion.V5;

    /** Our model of the three packets. */
    Publish smallPublish;
    Publish largePublish;
    Connect connect;

    /** The same packets on the wire (written by our encoder, read by both decoders). */
    byte[] smallPublishBytes;
    byte[] largePublishBytes;
    byte[] connectBytes;
    ByteBuf smallPublishBuf;
    ByteBuf largePublishBuf;
    ByteBuf connectBuf;

    MqttDecoder ours;
    io.netty.handler.codec.mqtt.MqttDecoder netty;
    EmbeddedChannel channel;
    ChannelHandlerContext nettyCtx;
    final List<Object> nettyOut = new ArrayList<>(2);

    /** Netty's model of the same packets, for its encoder. */
    MqttPublishMessage nettySmallPublish;
    MqttPublishMessage nettyLargePublish;
    MqttConnectMessage nettyConnect;

    @Setup
    public void setUp() throws Exception {
        byte[] small = "21.5 C, 40 % RH".getBytes(StandardCharsets.US_ASCII);
        byte[] large = new byte[64 * 1024];
        for (int i = 0; i < large.length; i++) {
            large[i] = (byte) (i * 31);
        }
        smallPublish = new Publish(false, QoS.AT_LEAST_ONCE, false, TopicName.of("sensors/building-1/room-42/climate"),
                4711, Properties.EMPTY, BinaryData.wrap(small));
        largePublish = new Publish(false, QoS.AT_LEAST_ONCE, false, TopicName.of("files/firmware/chunk"),
                4712, Properties.EMPTY, BinaryData.wrap(large));
        connect = Connect.builder(V5)
                .clientId("benchmark-client-0001").cleanStart(true).keepAlive(60)
                .properties(Properties.builder()
                        .number(PropertyId.SESSION_EXPIRY_INTERVAL, 3600)
                        .number(PropertyId.RECEIVE_MAXIMUM, 100)
                        .number(PropertyId.MAXIMUM_PACKET_SIZE, 1 << 20)
                        .number(PropertyId.TOPIC_ALIAS_MAXIMUM, 10)
                        .number(PropertyId.REQUEST_PROBLEM_INFORMATION, 1)
                        .userProperty("region", "eu-west")
                        .userProperty("app", "harness")
                        .build())
                .will(new Will(TopicName.of("clients/benchmark-client-0001/status"), BinaryData.of("offline"),
                        QoS.AT_LEAST_ONCE, true, Properties.builder()
                        .number(PropertyId.WILL_DELAY_INTERVAL, 5)
                        .string(PropertyId.CONTENT_TYPE, "text/plain")
                        .build()))
                .username("bench-user").password("bench-password")
                .build();
        smallPublishBytes = MqttEncoder.encode(smallPublish, V5);
        largePublishBytes = MqttEncoder.encode(largePublish, V5);
        connectBytes = MqttEncoder.encode(connect, V5);
        smallPublishBuf = Unpooled.wrappedBuffer(smallPublishBytes);
        largePublishBuf = Unpooled.wrappedBuffer(largePublishBytes);
        connectBuf = Unpooled.wrappedBuffer(connectBytes);

        ours = new MqttDecoder(PacketType.Sender.CLIENT, V5, MAX);
        netty = new io.netty.handler.codec.mqtt.MqttDecoder(MAX);
        channel = new EmbeddedChannel(netty);
        nettyCtx = channel.pipeline().context(netty);
        // Netty learns the version from a CONNECT, as ours does in a server-side decoder
        nettyDecode(connectBuf);

        nettySmallPublish = nettyPublish(smallPublish);
        nettyLargePublish = nettyPublish(largePublish);
        nettyConnect = nettyConnect();

        // both sides must decode every packet, and both encoders write packets of the same size
        for (byte[] b : List.of(smallPublishBytes, largePublishBytes, connectBytes)) {
            if (!(ours.feed(b).get(0) instanceof DecodeResult.Decoded)) {
                throw new IllegalStateException("ours does not decode its own bytes");
            }
        }
        for (ByteBuf b : List.of(smallPublishBuf, largePublishBuf, connectBuf)) {
            Object m = nettyDecode(b);
            if (!((MqttMessage) m).decoderResult().isSuccess()) {
                throw new IllegalStateException("Netty does not decode " + m);
            }
            ReferenceCountUtil.release(m);
        }
        checkSameSize(nettySmallPublish, smallPublishBytes);
        checkSameSize(nettyLargePublish, largePublishBytes);
        checkSameSize(nettyConnect, connectBytes);
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
        ReferenceCountUtil.release(nettySmallPublish);
        ReferenceCountUtil.release(nettyLargePublish);
    }

    private Object nettyDecode(ByteBuf buf) throws Exception {
        buf.readerIndex(0);
        nettyOut.clear();
        NettyMqttAccess.decode(netty, nettyCtx, buf, nettyOut);
        return nettyOut.get(0);
    }

    private void checkSameSize(MqttMessage m, byte[] ours) {
        ByteBuf b = NettyMqttAccess.encode(nettyCtx, m);
        try {
            if (b.readableBytes() != ours.length) {
                throw new IllegalStateException(m.fixedHeader().messageType() + ": Netty writes " + b.readableBytes()
                        + " bytes, ours " + ours.length);
            }
        } finally {
            b.release();
        }
    }

    private static MqttPublishMessage nettyPublish(Publish p) {
        return new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader(p.topic().toString(), p.packetId(), MqttProperties.NO_PROPERTIES),
                Unpooled.wrappedBuffer(p.payload().toByteArray()));
    }

    private MqttConnectMessage nettyConnect() {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.SESSION_EXPIRY_INTERVAL.value(), 3600));
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value(), 100));
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), 1 << 20));
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.TOPIC_ALIAS_MAXIMUM.value(), 10));
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.REQUEST_PROBLEM_INFORMATION.value(), 1));
        props.add(new MqttProperties.UserProperty("region", "eu-west"));
        props.add(new MqttProperties.UserProperty("app", "harness"));
        MqttProperties willProps = new MqttProperties();
        willProps.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.WILL_DELAY_INTERVAL.value(), 5));
        willProps.add(new MqttProperties.StringProperty(MqttProperties.MqttPropertyType.CONTENT_TYPE.value(), "text/plain"));
        MqttConnectVariableHeader header = new MqttConnectVariableHeader("MQTT", MqttVersion.MQTT_5.protocolLevel(),
                true, true, true, 1, true, true, 60, props);
        MqttConnectPayload payload = new MqttConnectPayload("benchmark-client-0001", willProps,
                "clients/benchmark-client-0001/status", "offline".getBytes(StandardCharsets.UTF_8),
                "bench-user", "bench-password".getBytes(StandardCharsets.UTF_8));
        return new MqttConnectMessage(new MqttFixedHeader(MqttMessageType.CONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
                header, payload);
    }

    // ---------------------------------------------------------------- decode

    @Benchmark
    public void decodePublishSmallOurs(Blackhole bh) {
        ours.feed(smallPublishBytes, 0, smallPublishBytes.length, bh::consume);
    }

    @Benchmark
    public void decodePublishSmallNetty(Blackhole bh) throws Exception {
        Object m = nettyDecode(smallPublishBuf);
        bh.consume(m);
        ReferenceCountUtil.release(m);
    }

    @Benchmark
    public void decodePublish64kOurs(Blackhole bh) {
        ours.feed(largePublishBytes, 0, largePublishBytes.length, bh::consume);
    }

    @Benchmark
    public void decodePublish64kNetty(Blackhole bh) throws Exception {
        Object m = nettyDecode(largePublishBuf);
        bh.consume(m);
        ReferenceCountUtil.release(m);
    }

    @Benchmark
    public void decodeConnectOurs(Blackhole bh) {
        ours.feed(connectBytes, 0, connectBytes.length, bh::consume);
    }

    @Benchmark
    public void decodeConnectNetty(Blackhole bh) throws Exception {
        Object m = nettyDecode(connectBuf);
        bh.consume(m);
        ReferenceCountUtil.release(m);
    }

    // ---------------------------------------------------------------- encode

    @Benchmark
    public byte[] encodePublishSmallOurs() {
        return MqttEncoder.encode(smallPublish, V5);
    }

    @Benchmark
    public void encodePublishSmallNetty(Blackhole bh) {
        nettyEncode(nettySmallPublish, bh);
    }

    @Benchmark
    public byte[] encodePublish64kOurs() {
        return MqttEncoder.encode(largePublish, V5);
    }

    @Benchmark
    public void encodePublish64kNetty(Blackhole bh) {
        nettyEncode(nettyLargePublish, bh);
    }

    @Benchmark
    public byte[] encodeConnectOurs() {
        return MqttEncoder.encode(connect, V5);
    }

    @Benchmark
    public void encodeConnectNetty(Blackhole bh) {
        nettyEncode(nettyConnect, bh);
    }

    /**
     * {@code doEncode} leaves the message's reference count alone (in a pipeline the encoder's
     * {@code write} releases it), so the same message is encoded again and again; the buffer it
     * returns is released.
     */
    private void nettyEncode(MqttMessage m, Blackhole bh) {
        ByteBuf out = NettyMqttAccess.encode(nettyCtx, m);
        bh.consume(out);
        out.release();
    }
}
