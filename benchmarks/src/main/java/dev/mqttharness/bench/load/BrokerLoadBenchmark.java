package dev.mqttharness.bench.load;

import dev.mqttharness.spec.packet.QoS;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Load benchmark: the reference broker against Mosquitto on loopback, both in their own processes,
 * driven by one generator in one run. Four shapes (fan-in N → 1 and fan-out 1 → N, at QoS 0 and
 * QoS 1), each run on both brokers one after the other, {@code --repeat} times, after a warm-up
 * round; reports the median run's delivered messages per second and p50 / p99 latency, and the
 * ratio of the medians. Bounded in messages and time.
 *
 * <pre>
 * mvn -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.mqttharness.bench.load.BrokerLoadBenchmark \
 *      [--messages 200000] [--clients 8] [--payload 64] [--window 2000] [--repeat 3] [--time-limit-s 60]
 *      [--mosquitto /usr/sbin/mosquitto] [--reference-jvm-args "-Xmx1g"] [--jfr recording.jfr] [--out results.md]
 * </pre>
 */
public final class BrokerLoadBenchmark {
    private BrokerLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        long messages = 200_000;
        int clients = 8;
        int payload = 64;
        int window = 2_000;
        long timeLimitS = 60;
        int repeat = 3;
        String mosquitto = BrokerProcess.which("mosquitto");
        List<String> refJvm = new ArrayList<>(List.of("-Xms512m", "-Xmx1g"));
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages": messages = Long.parseLong(args[++i]); break;
                case "--clients": clients = Integer.parseInt(args[++i]); break;
                case "--payload": payload = Integer.parseInt(args[++i]); break;
                case "--window": window = Integer.parseInt(args[++i]); break;
                case "--time-limit-s": timeLimitS = Long.parseLong(args[++i]); break;
                case "--repeat": repeat = Integer.parseInt(args[++i]); break;
                case "--mosquitto": mosquitto = args[++i]; break;
                case "--reference-jvm-args": refJvm = new ArrayList<>(List.of(args[++i].trim().split("\\s+"))); break;
                case "--jfr": refJvm.add("-XX:StartFlightRecording=filename=" + args[++i] + ",settings=profile"); break;
                case "--out": out = Path.of(args[++i]); break;
                default:
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
            }
        }
        List<LoadScenario> scenarios = new ArrayList<>();
        List<LoadScenario> warmups = new ArrayList<>();
        for (QoS q : new QoS[] {QoS.AT_MOST_ONCE, QoS.AT_LEAST_ONCE}) {
            for (LoadScenario.Shape s : LoadScenario.Shape.values()) {
                scenarios.add(new LoadScenario(s, q, clients, messages, payload, window, timeLimitS * 1_000));
                warmups.add(new LoadScenario(s, q, clients, Math.max(10_000, messages / 5), payload, window, timeLimitS * 1_000));
            }
        }
        List<BrokerProcess> brokers = new ArrayList<>();
        try {
            BrokerProcess ref = BrokerProcess.reference(refJvm);
            brokers.add(ref);
            if (mosquitto != null) {
                brokers.add(BrokerProcess.mosquitto(mosquitto));
            } else {
                System.err.println("mosquitto not found (Debian package mosquitto): measuring the reference broker alone");
            }
            for (BrokerProcess b : brokers) {
                b.awaitReady();
            }
            System.err.printf("brokers: %s%n", describe(brokers));
            int run = 0;
            for (LoadScenario s : warmups) {
                for (BrokerProcess b : brokers) {
                    LoadScenario.Result r = s.run(b, "w" + (run++));
                    System.err.printf("warm-up %-24s %-10s %,12.0f msg/s%n", s.label(), b.name, r.perSecond());
                }
            }
            List<LoadScenario.Result[]> rows = new ArrayList<>();
            for (LoadScenario s : scenarios) {
                List<List<LoadScenario.Result>> perBroker = new ArrayList<>();
                for (int i = 0; i < brokers.size(); i++) {
                    perBroker.add(new ArrayList<>());
                }
                for (int k = 0; k < repeat; k++) {
                    for (int i = 0; i < brokers.size(); i++) {
                        LoadScenario.Result r = s.run(brokers.get(i), "m" + (run++));
                        perBroker.get(i).add(r);
                        System.err.printf("%-24s %-10s %,12.0f msg/s  p50 %,7d µs  p99 %,7d µs%s%n", s.label(), brokers.get(i).name,
                                r.perSecond(), r.p50Micros(), r.p99Micros(),
                                r.complete() ? "" : "  INCOMPLETE " + r.deliveries() + "/" + r.expected());
                    }
                }
                LoadScenario.Result[] row = new LoadScenario.Result[brokers.size()];
                for (int i = 0; i < brokers.size(); i++) {
                    List<LoadScenario.Result> rs = new ArrayList<>(perBroker.get(i));
                    rs.sort(java.util.Comparator.comparingDouble(LoadScenario.Result::perSecond));
                    row[i] = rs.get(rs.size() / 2); // the median run
                }
                rows.add(row);
            }
            String table = table(scenarios, rows, brokers.size() > 1, messages, clients, payload, window, repeat);
            System.out.println(table);
            if (out != null) {
                Files.writeString(out, table);
            }
        } finally {
            for (BrokerProcess b : brokers) {
                b.close();
            }
        }
    }

    private static String describe(List<BrokerProcess> brokers) {
        List<String> s = new ArrayList<>();
        for (BrokerProcess b : brokers) {
            s.add(b.name + " pid " + b.pid() + " port " + b.port);
        }
        return String.join(", ", s);
    }

    static String table(List<LoadScenario> scenarios, List<LoadScenario.Result[]> rows, boolean withMosquitto, long messages,
                        int clients, int payload, int window, int repeat) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%,d deliveries per scenario, %d clients, %d-byte payload, window %,d, MQTT 3.1.1, "
                + "median of %d runs per broker%n%n", messages, clients, payload, window, repeat));
        if (withMosquitto) {
            sb.append("| scenario | reference msg/s | mosquitto msg/s | reference / mosquitto | reference p50 / p99 (µs) | mosquitto p50 / p99 (µs) |\n");
            sb.append("|---|---:|---:|---:|---:|---:|\n");
        } else {
            sb.append("| scenario | reference msg/s | reference p50 / p99 (µs) |\n|---|---:|---:|\n");
        }
        for (int i = 0; i < scenarios.size(); i++) {
            LoadScenario.Result[] r = rows.get(i);
            String label = scenarios.get(i).label() + (r[0].complete() && (!withMosquitto || r[1].complete()) ? "" : " (incomplete)");
            if (withMosquitto) {
                sb.append(String.format(Locale.ROOT, "| %s | %,.0f | %,.0f | **%.2f** | %,d / %,d | %,d / %,d |%n", label,
                        r[0].perSecond(), r[1].perSecond(), r[0].perSecond() / r[1].perSecond(),
                        r[0].p50Micros(), r[0].p99Micros(), r[1].p50Micros(), r[1].p99Micros()));
            } else {
                sb.append(String.format(Locale.ROOT, "| %s | %,.0f | %,d / %,d |%n", label, r[0].perSecond(),
                        r[0].p50Micros(), r[0].p99Micros()));
            }
        }
        return sb.toString();
    }

}
