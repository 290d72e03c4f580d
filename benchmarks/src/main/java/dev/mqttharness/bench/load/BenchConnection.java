package dev.mqttharness.bench.load;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.Malformed;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Packet;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.Suback;
import dev.mqttharness.spec.packet.Subscribe;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One MQTT 3.1.1 connection of the load generator: a blocking socket with a buffered writer (the
 * caller flushes), the project's strict decoder on a reader thread, and synchronous CONNECT and
 * SUBSCRIBE before the reader starts. Both brokers see exactly the same bytes from it.
 */
final class BenchConnection implements AutoCloseable {
    static final MqttVersion VERSION = MqttVersion.V3_1_1;

    private final Socket socket;
    private final InputStream in;
    private final BufferedOutputStream out;
    private final MqttDecoder decoder = MqttDecoder.forClient(VERSION, MqttDecoder.PROTOCOL_MAX_PACKET_SIZE);
    private final List<Packet> early = new ArrayList<>();
    private Thread reader;
    private volatile boolean closing;

    private BenchConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    static BenchConnection open(int port, String clientId) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setReceiveBufferSize(256 * 1024);
        s.setSendBufferSize(256 * 1024);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        s.setSoTimeout(10_000);
        BenchConnection c = new BenchConnection(s);
        c.write(MqttEncoder.encode(Connect.builder(VERSION).clientId(clientId).cleanStart(true).keepAlive(0).build(), VERSION));
        c.flush();
        Connack ack = c.readUntil(Connack.class);
        if (!ack.isSuccess()) {
            throw new IOException("CONNECT refused: " + ack.reasonCode());
        }
        return c;
    }

    void subscribe(String filter, QoS qos) throws IOException {
        write(MqttEncoder.encode(Subscribe.of(1, filter, qos), VERSION));
        flush();
        Suback s = readUntil(Suback.class);
        if (s.reasonCodes().get(0) >= 0x80) {
            throw new IOException("SUBSCRIBE refused");
        }
    }

    /** Blocks (before the reader thread starts) until a packet of {@code type} arrives. */
    private <T extends Packet> T readUntil(Class<T> type) throws IOException {
        byte[] buf = new byte[4096];
        while (true) {
            for (Packet p : early) {
                if (type.isInstance(p)) {
                    early.remove(p);
                    return type.cast(p);
                }
            }
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("connection closed while waiting for " + type.getSimpleName());
            }
            for (DecodeResult r : decoder.feed(java.util.Arrays.copyOf(buf, n))) {
                if (r instanceof Malformed) {
                    throw new IOException("malformed: " + r);
                }
                early.add(((DecodeResult.Decoded) r).packet());
            }
        }
    }

    /**
     * Starts the reader thread: every packet goes to {@code handler} on it; after each chunk read,
     * whatever the handler wrote (acknowledgements) is flushed.
     */
    void startReader(String name, Consumer<Packet> handler) {
        reader = new Thread(() -> {
            try {
                socket.setSoTimeout(0);
                for (Packet p : early) {
                    handler.accept(p);
                }
                while (!closing) {
                    byte[] buf = new byte[64 * 1024];
                    int n = in.read(buf);
                    if (n < 0) {
                        return;
                    }
                    decoder.feed(buf, 0, n, r -> {
                        if (r instanceof DecodeResult.Decoded) {
                            handler.accept(((DecodeResult.Decoded) r).packet());
                        } else {
                            throw new IllegalStateException("malformed from broker: " + r);
                        }
                    });
                    flush();
                }
            } catch (IOException e) {
                if (!closing) {
                    System.err.println(name + ": " + e.getMessage());
                }
            }
        }, name);
        reader.setDaemon(true);
        reader.start();
    }

    void write(byte[] bytes) throws IOException {
        synchronized (out) {
            out.write(bytes);
        }
    }

    void write(byte[] bytes, int off, int len) throws IOException {
        synchronized (out) {
            out.write(bytes, off, len);
        }
    }

    void flush() throws IOException {
        synchronized (out) {
            out.flush();
        }
    }

    @Override
    public void close() {
        closing = true;
        try {
            synchronized (out) {
                out.write(new byte[] {(byte) 0xE0, 0}); // DISCONNECT
                out.flush();
            }
        } catch (IOException ignored) {
            // closing anyway
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closed
        }
    }
}
