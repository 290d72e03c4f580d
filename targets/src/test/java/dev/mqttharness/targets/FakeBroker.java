package dev.mqttharness.targets;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.Connack;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback server that plays a broker for probe tests: it answers CONNECT with CONNACK, refuses it,
 * closes, or (black hole) accepts and never answers.
 */
final class FakeBroker implements AutoCloseable {
    enum Mode { ACCEPT, REJECT, CLOSE, SILENT }

    private final ServerSocket server;
    private final Mode mode;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    FakeBroker(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::loop, "fake-broker");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void loop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "fake-broker-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[1024];
            int n = in.read(buf);
            if (n <= 0) {
                return;
            }
            switch (mode) {
                case ACCEPT -> s.getOutputStream().write(MqttEncoder.encode(Connack.accepted(false), MqttVersion.V3_1_1));
                case REJECT -> s.getOutputStream().write(MqttEncoder.encode(new Connack(false, 5, null), MqttVersion.V3_1_1));
                case CLOSE -> {
                    s.close();
                    return;
                }
                case SILENT -> {
                }
            }
            while (in.read(buf) > 0) {
                // keep the connection until the client goes
            }
        } catch (IOException e) {
            // client gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        // the kernel keeps the listening socket while a thread sits in accept(): wait for it to leave,
        // so that "closed" means "refuses connections"
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Socket s : open) {
            s.close();
        }
    }
}
