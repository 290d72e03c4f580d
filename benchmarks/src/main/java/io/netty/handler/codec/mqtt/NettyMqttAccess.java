package io.netty.handler.codec.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import java.util.List;

/**
 * Calls Netty's MQTT decoder and encoder directly, without the channel pipeline around them, so
 * that the benchmark compares codec against codec. Lives in Netty's package because
 * {@code MqttDecoder.decode} is protected and {@code MqttEncoder.doEncode} package-private.
 */
public final class NettyMqttAccess {
    private NettyMqttAccess() {
    }

    public static void decode(MqttDecoder decoder, ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        decoder.decode(ctx, in, out);
    }

    public static ByteBuf encode(ChannelHandlerContext ctx, MqttMessage message) {
        return MqttEncoder.doEncode(ctx, message);
    }
}
