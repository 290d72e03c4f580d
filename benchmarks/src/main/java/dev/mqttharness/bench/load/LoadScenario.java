package dev.mqttharness.bench.load;

import dev.mqttharness.spec.codec.MqttEncoder;
import dev.mqttharness.spec.packet.BinaryData;
import dev.mqttharness.spec.packet.Properties;
import dev.mqttharness.spec.packet.Publish;
import dev.mqttharness.spec.packet.QoS;
import dev.mqttharness.spec.packet.TopicName;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One load shape at one QoS, run against one broker: fan-in ({@code clients} publishers, one
 * subscriber) or fan-out (one publisher, {@code clients} subscribers). The generator is closed-loop:
 * at most {@code window} deliveries are outstanding (published and not yet received), so the
 * broker is driven at the rate it sustains instead of being flooded. Each payload carries the send
 * time; latency is receive time minus send time, on one clock (one process).
 */
final class LoadScenario {
    enum Shape { FAN_IN, FAN_OUT }

    record Result(String broker, Shape shape, QoS qos, long deliveries, long expected, double seconds, double perSecond,
                  long p50Micros, long p99Micros, long maxMicros, boolean complete) {
    }

    private final Shape shape;
    private final QoS qos;
    private final int clients;
    private final long deliveries;
    private final int payloadSize;
    private final int window;
    private final long timeLimitMillis;

    LoadScenario(Shape shape, QoS qos, int clients, long deliveries, int payloadSize, int window, long timeLimitMillis) {
        this.shape = shape;
        this.qos = qos;
        this.clients = clients;
        this.deliveries = deliveries;
        this.payloadSize = Math.max(8, payloadSize);
        this.window = window;
        this.timeLimitMillis = timeLimitMillis;
    }

    String label() {
        return (shape == Shape.FAN_IN ? "fan-in " + clients + " → 1" : "fan-out 1 → " + clients) + ", QoS " + qos.value();
    }

    Result run(BrokerProcess broker, String runId) throws IOException, InterruptedException {
        int publishers = shape == Shape.FAN_IN ? clients : 1;
        int subscribers = shape == Shape.FAN_IN ? 1 : clients;
        int fanOut = subscribers; // deliveries per published message
        long perPublisher = deliveries / fanOut / publishers;
        long expected = perPublisher * publishers * fanOut;
        String base = "bench/" + runId;
        Semaphore permits = new Semaphore(window);
        AtomicLong received = new AtomicLong();
        AtomicLong lastReceive = new AtomicLong();
        CountDownLatch done = new CountDownLatch(1);
        List<Histogram> histograms = new ArrayList<>();
        List<BenchConnection> connections = new ArrayList<>();
        byte[] puback = {0x40, 0x02, 0, 0};
        try {
            for (int s = 0; s < subscribers; s++) {
                BenchConnection c = BenchConnection.open(broker.port, runId + "-sub-" + s);
                connections.add(c);
                c.subscribe(shape == Shape.FAN_IN ? base + "/+" : base + "/t", qos);
                Histogram h = new Histogram(60_000_000L, 3);
                histograms.add(h);
                c.startReader(runId + "-sub-" + s, p -> {
                    if (!(p instanceof Publish)) {
                        return;
                    }
                    Publish pub = (Publish) p;
                    long now = System.nanoTime();
                    long sent = 0;
                    for (int i = 0; i < 8; i++) {
                        sent = (sent << 8) | (pub.payload().get(i) & 0xFF);
                    }
                    synchronized (h) {
                        h.recordValue(Math.min(60_000_000L, Math.max(0, (now - sent) / 1_000)));
                    }
                    if (pub.qos() == QoS.AT_LEAST_ONCE) {
                        byte[] ack = puback.clone();
                        ack[2] = (byte) (pub.packetId() >> 8);
                        ack[3] = (byte) pub.packetId();
                        try {
                            c.write(ack);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    permits.release();
                    lastReceive.set(now);
                    if (received.incrementAndGet() == expected) {
                        done.countDown();
                    }
                });
            }
            List<BenchConnection> pubs = new ArrayList<>();
            for (int i = 0; i < publishers; i++) {
                BenchConnection c = BenchConnection.open(broker.port, runId + "-pub-" + i);
                connections.add(c);
                pubs.add(c);
                c.startReader(runId + "-pub-" + i, p -> { }); // PUBACKs: nothing to do, the window is end to end
            }
            long start = System.nanoTime();
            long deadline = start + TimeUnit.MILLISECONDS.toNanos(timeLimitMillis);
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < publishers; i++) {
                String topic = shape == Shape.FAN_IN ? base + "/" + i : base + "/t";
                BenchConnection c = pubs.get(i);
                Thread t = new Thread(() -> publish(c, topic, perPublisher, fanOut, permits, deadline), runId + "-publisher-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
            boolean complete = done.await(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            for (Thread t : threads) {
                t.join(1_000);
            }
            long end = complete ? lastReceive.get() : System.nanoTime();
            Histogram all = new Histogram(60_000_000L, 3);
            for (Histogram h : histograms) {
                synchronized (h) {
                    all.add(h);
                }
            }
            double seconds = (end - start) / 1e9;
            return new Result(broker.name, shape, qos, received.get(), expected, seconds, received.get() / seconds,
                    all.getValueAtPercentile(50), all.getValueAtPercentile(99), all.getMaxValue(), complete);
        } finally {
            for (BenchConnection c : connections) {
                c.close();
            }
        }
    }

    private void publish(BenchConnection c, String topic, long count, int fanOut, Semaphore permits, long deadline) {
        byte[] template = MqttEncoder.encode(new Publish(false, qos, false, TopicName.of(topic), qos == QoS.AT_MOST_ONCE ? 0 : 1,
                Properties.EMPTY, BinaryData.wrap(new byte[payloadSize])), BenchConnection.VERSION);
        int payloadAt = template.length - payloadSize;
        int idAt = payloadAt - 2;
        int batch = 0;
        try {
            for (long i = 0; i < count; i++) {
                if (!permits.tryAcquire(fanOut)) {
                    c.flush();
                    batch = 0;
                    if (!permits.tryAcquire(fanOut, Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        return;
                    }
                }
                if (qos != QoS.AT_MOST_ONCE) {
                    int id = (int) (i % 65_535) + 1;
                    template[idAt] = (byte) (id >> 8);
                    template[idAt + 1] = (byte) id;
                }
                long now = System.nanoTime();
                for (int b = 7; b >= 0; b--) {
                    template[payloadAt + b] = (byte) now;
                    now >>>= 8;
                }
                c.write(template);
                if (++batch == 16) {
                    c.flush();
                    batch = 0;
                }
            }
            c.flush();
        } catch (IOException | InterruptedException e) {
            System.err.println(Thread.currentThread().getName() + ": " + e.getMessage());
        }
    }

}
