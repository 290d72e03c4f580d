package dev.mqttharness.broker;

import dev.mqttharness.broker.fault.Fault;

import dev.mqttharness.broker.core.BrokerCore;
import dev.mqttharness.broker.core.ConnectionInfo;
import dev.mqttharness.broker.core.Effects;
import dev.mqttharness.spec.packet.Packet;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The reference broker's network shell: TCP, TLS and WebSocket listeners on Netty, feeding one
 * {@link BrokerCore}. All channels and the core share a single event loop thread, so the core is
 * only ever called from that thread and needs no locks; writes are flushed once per batch of input.
 */
final class NettyShell implements Effects {
    private static final long TICK_MS = 50;

    private final BrokerConfig config;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final BrokerCore core;
    private final Map<Long, Channel> channels = new HashMap<>();
    private final List<Channel> dirty = new ArrayList<>();
    private final List<Channel> listeners = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private int port = -1;
    private int tlsPort = -1;
    private int wsPort = -1;

    private NettyShell(BrokerConfig config) {
        this.config = config;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        this.loop = group.next();
        this.core = new BrokerCore(config, this, new SecureRandom());
    }

    static NettyShell start(BrokerConfig config) throws IOException {
        NettyShell shell = new NettyShell(config);
        try {
            shell.bind();
        } catch (IOException | RuntimeException e) {
            shell.close();
            throw e;
        }
        return shell;
    }

    private void bind() throws IOException {
        port = listen(config.port(), null, false);
        if (config.tlsPort() != null) {
            if (config.tls() == null) {
                throw new IllegalArgumentException("a TLS port needs certificate and key");
            }
            tlsPort = listen(config.tlsPort(), sslContext(config.tls()), false);
        }
        if (config.wsPort() != null) {
            wsPort = listen(config.wsPort(), null, true);
        }
        loop.scheduleAtFixedRate(() -> {
            core.tick(now());
            flushDirty();
        }, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    }

    private static SslContext sslContext(BrokerConfig.TlsSettings tls) throws IOException {
        SslContextBuilder b = SslContextBuilder.forServer(tls.certificateChain().toFile(), tls.privateKey().toFile());
        if (tls.clientCa() != null) {
            b.trustManager(tls.clientCa().toFile()).clientAuth(ClientAuth.REQUIRE);
        }
        return b.build();
    }

    private int listen(int requestedPort, SslContext ssl, boolean webSocket) throws IOException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group, group)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(256 * 1024, 1024 * 1024))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        String transport = "tcp";
                        if (ssl != null) {
                            p.addLast("tls", ssl.newHandler(ch.alloc()));
                            transport = "tls";
                        }
                        if (webSocket) {
                            p.addLast(new HttpServerCodec());
                            p.addLast(new HttpObjectAggregator(65_536));
                            p.addLast(new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                    .websocketPath(config.wsPath())
                                    // MQTT-6.0.0-4; the fault offers only a name no client asks for, so none is selected
                                    .subprotocols(config.faults().stream().anyMatch(f -> Fault.byId(f) == Fault.WEBSOCKET_SUBPROTOCOL_NOT_SELECTED)
                                            ? "mqttv3.1" : "mqtt")
                                    .allowExtensions(false)
                                    .maxFramePayloadLength(config.limits().maximumPacketSize() + 5)
                                    .checkStartsWith(false)
                                    .build()));
                            p.addLast(new WebSocketFrameToBytes());
                            p.addLast(new BytesToWebSocketFrame());
                            transport = ssl != null ? "wss" : "ws";
                        }
                        p.addLast("mqtt", new MqttChannelHandler(transport));
                    }
                });
        try {
            Channel ch = b.bind(new InetSocketAddress(config.host(), requestedPort)).sync().channel();
            listeners.add(ch);
            return ((InetSocketAddress) ch.localAddress()).getPort();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding", e);
        } catch (Exception e) {
            throw new IOException("cannot listen on " + config.host() + ":" + requestedPort + ": " + e.getMessage(), e);
        }
    }

    private long now() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    int port() {
        return port;
    }

    int tlsPort() {
        return tlsPort;
    }

    int webSocketPort() {
        return wsPort;
    }

    BrokerConfig config() {
        return config;
    }

    Map<String, Long> enforcedStatements() {
        try {
            return loop.submit(() -> Map.copyOf(core.enforced())).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            return Map.of();
        }
    }

    void close() {
        for (Channel ch : listeners) {
            ch.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- Effects, on the loop thread

    @Override
    public void send(long connId, byte[] bytes, Packet packet) {
        Channel ch = channels.get(connId);
        if (ch == null) {
            return;
        }
        ch.write(Unpooled.wrappedBuffer(bytes), ch.voidPromise());
        if (!dirty.contains(ch)) {
            dirty.add(ch);
        }
    }

    @Override
    public void close(long connId, String reason) {
        Channel ch = channels.remove(connId);
        if (ch == null) {
            return;
        }
        dirty.remove(ch);
        ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    private void flushDirty() {
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flush();
        }
        dirty.clear();
    }

    /** Connects one channel to the core. */
    private final class MqttChannelHandler extends ChannelInboundHandlerAdapter {
        private final String transport;
        private long id = -1;

        MqttChannelHandler(String transport) {
            this.transport = transport;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (transport.equals("tcp")) {
                register(ctx);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            // TLS and WebSocket connections join the core once their handshake is done
            if (id < 0 && (evt instanceof io.netty.handler.ssl.SslHandshakeCompletionEvent
                    && ((io.netty.handler.ssl.SslHandshakeCompletionEvent) evt).isSuccess() && transport.equals("tls")
                    || evt instanceof WebSocketServerProtocolHandler.HandshakeComplete)) {
                register(ctx);
            }
            ctx.fireUserEventTriggered(evt);
        }

        private void register(ChannelHandlerContext ctx) {
            id = ids.incrementAndGet();
            channels.put(id, ctx.channel());
            core.open(id, new ConnectionInfo(String.valueOf(ctx.channel().remoteAddress()), transport, certificateSubject(ctx)), now());
        }

        private String certificateSubject(ChannelHandlerContext ctx) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl == null) {
                return null;
            }
            try {
                java.security.cert.Certificate[] certs = ssl.engine().getSession().getPeerCertificates();
                return certs.length > 0 && certs[0] instanceof X509Certificate
                        ? ((X509Certificate) certs[0]).getSubjectX500Principal().getName() : null;
            } catch (SSLPeerUnverifiedException e) {
                return null;
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            try {
                if (id < 0) {
                    return;
                }
                byte[] data = new byte[buf.readableBytes()];
                buf.readBytes(data);
                core.receive(id, data, 0, data.length, now());
            } finally {
                buf.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            flushDirty();
            ctx.fireChannelReadComplete();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (id >= 0 && channels.remove(id) != null) {
                core.lost(id, now());
                flushDirty();
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // an I/O error is a lost connection: the core publishes the will; nothing is logged per client
            ctx.close();
        }
    }

    /**
     * WebSocket binary frames carry MQTT bytes in any split, continuation frames of a fragmented binary
     * message included (MQTT-6.0.0-2); any other data frame closes the connection (MQTT-6.0.0-1).
     */
    private static final class WebSocketFrameToBytes extends MessageToMessageDecoder<WebSocketFrame> {
        @Override
        protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
            if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
                out.add(frame.content().retain());
            } else if (frame instanceof TextWebSocketFrame) {
                ctx.close();
            }
        }
    }

    private static final class BytesToWebSocketFrame extends MessageToMessageEncoder<ByteBuf> {
        @Override
        protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
            out.add(new BinaryWebSocketFrame(msg.retain()));
        }
    }
}
