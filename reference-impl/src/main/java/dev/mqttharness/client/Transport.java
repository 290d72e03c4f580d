package dev.mqttharness.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLSocket;

/**
 * A byte pipe to a broker: TCP, TLS or WebSocket (subprotocol "mqtt", binary frames). Received
 * bytes are pushed to a {@link Sink} from a reader thread; EOF and errors end the stream.
 */
abstract class Transport implements AutoCloseable {

    /** Receives what arrives. Called from one reader thread, in order. */
    interface Sink {
        void bytes(byte[] data, int len);

        void closed(String reason, boolean byPeer);
    }

    abstract void write(byte[] data) throws IOException;

    /** Half-closes nothing: drops the connection at once, as a crashed client would. */
    @Override
    public abstract void close();

    static Transport open(Endpoint ep, boolean webSocket, Duration timeout, Sink sink, String threadName) throws IOException {
        if (webSocket) {
            if (ep.webSocket() == null) {
                throw new IOException("the target offers no WebSocket listener");
            }
            return WebSocketTransport.open(ep.webSocket(), timeout, sink);
        }
        return SocketTransport.open(ep, timeout, sink, threadName);
    }

    /** Plain or TLS socket with a daemon reader thread. */
    static final class SocketTransport extends Transport {
        private final Socket socket;
        private final OutputStream out;
        private volatile boolean closedByUs;

        private SocketTransport(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        static SocketTransport open(Endpoint ep, Duration timeout, Sink sink, String threadName) throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(ep.host(), ep.port()), (int) timeout.toMillis());
                if (ep.tls()) {
                    SSLSocket ssl = (SSLSocket) ep.sslContext().getSocketFactory()
                            .createSocket(s, ep.host(), ep.port(), true);
                    ssl.setSoTimeout((int) timeout.toMillis());
                    ssl.startHandshake();
                    ssl.setSoTimeout(0);
                    s = ssl;
                }
            } catch (IOException e) {
                s.close();
                throw e;
            }
            SocketTransport t = new SocketTransport(s);
            Thread reader = new Thread(() -> t.readLoop(sink), threadName);
            reader.setDaemon(true);
            reader.start();
            return t;
        }

        private void readLoop(Sink sink) {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = socket.getInputStream()) {
                while (true) {
                    int n = in.read(buf);
                    if (n < 0) {
                        sink.closed("EOF: the broker closed the connection", true);
                        return;
                    }
                    // the decoder keeps views of what it is given: hand over a fresh copy
                    byte[] copy = java.util.Arrays.copyOf(buf, n);
                    sink.bytes(copy, n);
                }
            } catch (IOException e) {
                if (closedByUs) {
                    sink.closed("closed by the harness", false);
                } else {
                    sink.closed("connection reset: " + e.getMessage(), true);
                }
            }
        }

        @Override
        void write(byte[] data) throws IOException {
            synchronized (out) {
                out.write(data);
                out.flush();
            }
        }

        @Override
        public void close() {
            closedByUs = true;
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    /** MQTT over WebSocket with the JDK client: binary frames, any split (§6). */
    static final class WebSocketTransport extends Transport {
        private final WebSocket ws;
        private final Listener listener;

        private WebSocketTransport(WebSocket ws, Listener listener) {
            this.ws = ws;
            this.listener = listener;
        }

        static WebSocketTransport open(URI uri, Duration timeout, Sink sink) throws IOException {
            Listener l = new Listener(sink);
            HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
            try {
                WebSocket ws = http.newWebSocketBuilder()
                        .subprotocols("mqtt")
                        .connectTimeout(timeout)
                        .buildAsync(uri, l)
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                return new WebSocketTransport(ws, l);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("WebSocket connect to " + uri + " failed: " + e.getMessage(), e);
            }
        }

        @Override
        void write(byte[] data) throws IOException {
            try {
                ws.sendBinary(ByteBuffer.wrap(data), true).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("WebSocket send failed: " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            listener.closedByUs = true;
            ws.abort();
            listener.sink.closed("closed by the harness", false);
        }

        private static final class Listener implements WebSocket.Listener {
            final Sink sink;
            volatile boolean closedByUs;
            private volatile boolean done;

            Listener(Sink sink) {
                this.sink = sink;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                byte[] b = new byte[data.remaining()];
                data.get(b);
                sink.bytes(b, b.length);
                webSocket.request(1);
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                end("the broker sent a text frame (MQTT needs binary frames)", true);
                webSocket.abort();
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                end("WebSocket closed by the broker (" + statusCode + ")", true);
                return null;
            }

            @Override
            public void onError(WebSocket webSocket, Throwable error) {
                end(closedByUs ? "closed by the harness" : "WebSocket error: " + error.getMessage(), !closedByUs);
            }

            private synchronized void end(String reason, boolean byPeer) {
                if (!done) {
                    done = true;
                    if (!closedByUs) {
                        sink.closed(reason, byPeer);
                    }
                }
            }
        }
    }
}
