package dev.mqttharness.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.PacketFormat;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A broker played by the test, one connection at a time: it decodes what the client sends with
 * the strict server-side decoder and answers with exactly the packets the test gives it, so a
 * client's own rules (flow control, aliases, re-sending) can be watched on the wire.
 */
final class ScriptedBroker implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(5);

    private final ServerSocket server;
    private Socket socket;
    private MqttVersion version;
    /** What the current connection sent; each connection has its own, so a late EOF of the last one cannot leak in. */
    private volatile LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private static final Object EOF = new Object();

    ScriptedBroker() throws IOException {
        server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        server.setSoTimeout((int) WAIT.toMillis());
    }

    Endpoint endpoint() {
        return Endpoint.tcp("127.0.0.1", server.getLocalPort());
    }

    /** Accepts the next connection and starts decoding what it sends. */
    void accept(MqttVersion v) throws IOException {
        this.version = v;
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        received = queue;
        Socket s = server.accept();
        s.setTcpNoDelay(true);
        socket = s;
        MqttDecoder decoder = MqttDecoder.forServer(MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = s.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    for (DecodeResult r : decoder.feed(java.util.Arrays.copyOf(buf, n))) {
                        queue.add(r instanceof DecodeResult.Decoded ? ((DecodeResult.Decoded) r).packet() : r);
                    }
                }
            } catch (IOException | RuntimeException e) {
                queue.add(e); // shows up in expect() instead of a silent close
            }
            queue.add(EOF);
        }, "scripted-broker");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Accepts connections until one sends a CONNECT from {@code clientId} and returns it. A connection
     * from anyone else (another process on this machine probing a port it once used) is closed.
     */
    dev.mqttharness.spec.packet.Connect acceptConnect(MqttVersion v, String clientId) throws IOException, InterruptedException {
        long end = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < end) {
            accept(v);
            Object o = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (o instanceof dev.mqttharness.spec.packet.Connect
                    && ((dev.mqttharness.spec.packet.Connect) o).clientId().toString().equals(clientId)) {
                return (dev.mqttharness.spec.packet.Connect) o;
            }
            socket.close();
        }
        throw new AssertionError("no CONNECT from " + clientId);
    }

    void send(Packet p) throws IOException {
        socket.getOutputStream().write(MqttEncoder.encode(p, version));
        socket.getOutputStream().flush();
    }

    /** The next packet the client sent; fails on anything else or after the bound. */
    <T extends Packet> T expect(Class<T> type) throws InterruptedException {
        Object o = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(o).as("a %s from the client", type.getSimpleName()).isNotNull();
        assertThat(o).as("a %s from the client, got %s", type.getSimpleName(),
                o instanceof Packet ? PacketFormat.describe((Packet) o) : o == EOF ? "EOF" : o).isInstanceOf(type);
        return type.cast(o);
    }

    /** Packets that arrive within {@code d} (used only where the client's next move is timed, e.g. keep alive). */
    List<Packet> within(Duration d) throws InterruptedException {
        List<Packet> out = new ArrayList<>();
        long end = System.nanoTime() + d.toNanos();
        while (true) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return out;
            }
            Object o = received.poll(left, TimeUnit.NANOSECONDS);
            if (o instanceof Packet) {
                out.add((Packet) o);
            }
        }
    }

    /** True if nothing is waiting right now (after a round trip the client answered in order). */
    boolean nothingPending() {
        return received.isEmpty();
    }

    boolean awaitEof() throws InterruptedException {
        while (true) {
            Object o = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (o == null) {
                return false;
            }
            if (o == EOF) {
                return true;
            }
        }
    }

    void dropConnection() throws IOException {
        socket.close();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        server.close();
    }
}
