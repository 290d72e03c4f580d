package dev.mqttharness.targets.internal;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.codec.DecodeResult;
import dev.mqttharness.spec.codec.Malformed;
import dev.mqttharness.spec.codec.MqttDecoder;
import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.Connack;
import dev.mqttharness.spec.packet.Connect;
import dev.mqttharness.spec.packet.Disconnect;
import dev.mqttharness.spec.packet.PacketType;
import dev.mqttharness.spec.packet.ReasonCode;
import dev.mqttharness.spec.packet.ReturnCode311;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

/**
 * The readiness check shared by every launch kind: open a connection, send CONNECT, and wait for
 * CONNACK. One call is one attempt; {@link Readiness} repeats it until the deadline.
 */
public final class ReadinessProbe {
    private ReadinessProbe() {
    }

    /** What one attempt found. */
    public sealed interface Result {
        /** A human-readable account, for error messages. */
        String describe();

        /** Worth trying again: the broker may still be starting. */
        default boolean retryable() {
            return false;
        }
    }

    /** CONNACK with success. */
    public record Ready(Connack connack) implements Result {
        @Override
        public String describe() {
            return "CONNACK accepted";
        }
    }

    /** Nothing listens on the port. */
    public record Refused(String detail) implements Result {
        @Override
        public String describe() {
            return "connection refused (" + detail + ")";
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** No TCP connection within the connect timeout (a black hole, a firewall, a wrong host). */
    public record ConnectTimeout(Duration after) implements Result {
        @Override
        public String describe() {
            return "no TCP connection within " + after.toMillis() + " ms";
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** Connected, but no CONNACK within the answer timeout. */
    public record NoAnswer(Duration after) implements Result {
        @Override
        public String describe() {
            return "connected, but no CONNACK within " + after.toMillis() + " ms";
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** The broker closed the connection before sending CONNACK. */
    public record Closed(String detail) implements Result {
        @Override
        public String describe() {
            return "the broker closed the connection before CONNACK" + (detail == null ? "" : " (" + detail + ")");
        }

        @Override
        public boolean retryable() {
            return true;
        }
    }

    /** CONNACK with a refusal: the broker runs, but will not accept the probe. */
    public record Rejected(int code, MqttVersion version) implements Result {
        @Override
        public String describe() {
            String c = version.isV5() ? ReasonCode.describe(code, PacketType.CONNACK)
                    : ReturnCode311.describeConnack(code);
            return "the broker refused the CONNECT with CONNACK " + c
                    + " (check the target's credentials and versions in brokers.yaml)";
        }
    }

    /** Bytes that are not a CONNACK, or a TLS failure: the port speaks something else. */
    public record Garbled(String detail) implements Result {
        @Override
        public String describe() {
            return "the answer is not an MQTT CONNACK: " + detail;
        }
    }

    /** One attempt: connect within {@code connectTimeout}, then wait for CONNACK up to {@code answerTimeout}. */
    public static Result probe(Endpoint ep, MqttVersion version, Duration connectTimeout, Duration answerTimeout) {
        Socket socket = new Socket();
        try {
            try {
                socket.connect(new InetSocketAddress(ep.host(), ep.port()), (int) Math.max(1, connectTimeout.toMillis()));
            } catch (ConnectException e) {
                return new Refused(ep.host() + ":" + ep.port());
            } catch (SocketTimeoutException e) {
                return new ConnectTimeout(connectTimeout);
            }
            socket.setSoTimeout((int) Math.max(1, answerTimeout.toMillis()));
            socket.setTcpNoDelay(true);
            Socket s = socket;
            if (ep.tls()) {
                SSLSocket tls = (SSLSocket) ep.sslContext().getSocketFactory()
                        .createSocket(socket, ep.host(), ep.port(), true);
                try {
                    tls.startHandshake();
                } catch (SocketTimeoutException e) {
                    return new NoAnswer(answerTimeout);
                } catch (SSLException e) {
                    return new Garbled("TLS handshake failed: " + e.getMessage());
                }
                s = tls;
            }
            Connect.Builder connect = Connect.builder(version)
                    .clientId("mqtt-harness-probe-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 8))
                    .cleanStart(true)
                    .keepAlive(30);
            if (ep.username() != null) {
                connect.username(ep.username());
            }
            if (ep.password() != null) {
                connect.password(ep.password());
            }
            OutputStream out = s.getOutputStream();
            out.write(MqttEncoder.encode(connect.build(), version));
            out.flush();
            Result r = readConnack(s.getInputStream(), version, answerTimeout);
            if (r instanceof Ready) {
                try {
                    out.write(MqttEncoder.encode(Disconnect.NORMAL, version));
                    out.flush();
                } catch (IOException e) {
                    // a disconnect that does not arrive changes nothing for readiness
                }
            }
            return r;
        } catch (SocketTimeoutException e) {
            return new NoAnswer(answerTimeout);
        } catch (IOException e) {
            String m = e.getMessage();
            if (m != null && (m.contains("Connection reset") || m.contains("Broken pipe"))) {
                return new Closed(m);
            }
            return new Closed(String.valueOf(e));
        } finally {
            try {
                socket.close();
            } catch (IOException e) {
                // closing a probe socket cannot fail in a way that matters
            }
        }
    }

    private static Result readConnack(InputStream in, MqttVersion version, Duration answerTimeout) throws IOException {
        MqttDecoder decoder = MqttDecoder.forClient(version, 1 << 20);
        byte[] buf = new byte[1024];
        while (true) {
            int n;
            try {
                n = in.read(buf);
            } catch (SocketTimeoutException e) {
                return new NoAnswer(answerTimeout);
            }
            if (n < 0) {
                return new Closed(null);
            }
            byte[] chunk = java.util.Arrays.copyOf(buf, n);
            for (DecodeResult r : decoder.feed(chunk)) {
                if (r instanceof Malformed m) {
                    return new Garbled(m.toString());
                }
                DecodeResult.Decoded d = (DecodeResult.Decoded) r;
                if (d.packet() instanceof Connack c) {
                    boolean ok = version.isV5() ? c.reasonCode() < 0x80 : c.reasonCode() == 0;
                    return ok ? new Ready(c) : new Rejected(c.reasonCode(), version);
                }
                return new Garbled("first packet is " + d.packet().type() + ", not CONNACK");
            }
        }
    }
}
