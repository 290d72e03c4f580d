package dev.mqttharness.broker;

import dev.mqttharness.broker.fault.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the reference broker standalone until interrupted.
 *
 * <pre>
 * java -cp ... dev.mqttharness.broker.ReferenceBrokerMain --port 1883 [--host 127.0.0.1]
 *      [--tls-port 8883 --cert chain.pem --key key.pem [--client-ca ca.pem]]
 *      [--ws-port 8080 [--ws-path /mqtt]] [--user name:password ...] [--no-anonymous]
 *      [--max-qos 0|1|2] [--deny-subscribe FILTER ...] [--deny-publish FILTER ...]
 *      [--config broker.properties] [--fault ID ...] [--list-faults]
 * </pre>
 *
 * A config file holds the same settings as properties: {@code port}, {@code host}, {@code tls.port},
 * {@code tls.cert}, {@code tls.key}, {@code tls.clientCa}, {@code ws.port}, {@code ws.path},
 * {@code users} (name:password,...), {@code anonymous} (true/false), {@code maxQos}, {@code faults},
 * {@code deny.subscribe} and {@code deny.publish} (topic filters, comma-separated: refused for every client,
 * e.g. the "nosubscribe" filters public interoperability suites expect a broker to refuse).
 */
public final class ReferenceBrokerMain {
    private ReferenceBrokerMain() {
    }

    public static void main(String[] args) throws Exception {
        BrokerConfig config;
        try {
            List<String> a = List.of(args);
            if (a.contains("--list-faults")) {
                listFaults();
                return;
            }
            if (a.contains("--help") || a.contains("-h")) {
                System.out.println(usage());
                return;
            }
            config = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("mqtt-harness broker: " + e.getMessage());
            System.err.println(usage());
            System.exit(2);
            return;
        }
        ReferenceBroker broker;
        try {
            broker = ReferenceBroker.start(config);
        } catch (IOException e) {
            System.err.println("mqtt-harness broker: " + e.getMessage());
            System.exit(3);
            return;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            broker.close();
            stop.countDown();
        }, "broker-shutdown"));
        StringBuilder sb = new StringBuilder("reference broker listening on mqtt://" + config.host() + ":" + broker.port());
        if (broker.tlsPort() > 0) {
            sb.append(", mqtts://").append(config.host()).append(':').append(broker.tlsPort());
        }
        if (broker.webSocketPort() > 0) {
            sb.append(", ws://").append(config.host()).append(':').append(broker.webSocketPort()).append(config.wsPath());
        }
        if (!config.faults().isEmpty()) {
            sb.append(" with faults ").append(config.faults());
        }
        System.out.println(sb);
        System.out.flush();
        stop.await();
    }

    static String usage() {
        return "usage: broker [--port N] [--host H] [--tls-port N --cert FILE --key FILE [--client-ca FILE]] "
                + "[--ws-port N] [--ws-path P] [--user NAME:PASSWORD] [--no-anonymous] [--max-qos Q] "
                + "[--maximum-packet-size N] [--receive-maximum N] [--topic-alias-maximum N] [--server-keep-alive S] "
                + "[--no-retain] [--no-wildcard-subscriptions] [--no-subscription-identifiers] [--no-shared-subscriptions] "
                + "[--deny-subscribe FILTER] [--deny-publish FILTER] [--config FILE] [--fault ID] [--list-faults]";
    }

    static void listFaults() {
        for (Fault f : Fault.values()) {
            List<String> ids = new ArrayList<>();
            for (var v : f.versions()) {
                ids.add(v.label() + " " + String.join(",", f.statements(v)));
            }
            String needs = f.needs() == Fault.Needs.LIMITS ? " (shows with limits announced, e.g. --max-qos 1 --no-retain)"
                    : f.needs() == Fault.Needs.DENIED_TOPIC ? " (shows with a --deny-publish filter)" : "";
            System.out.printf("%-42s %-60s %s%s%n", f.id(), String.join("; ", ids), f.mistake(), needs);
        }
        System.out.printf("%d faults; the suite's self-check runs each: mqtt-harness selfcheck (docs/self-check.md)%n",
                Fault.values().length);
    }

    /** Parses command-line arguments (after an optional --config file) into a config. */
    public static BrokerConfig parse(String[] args) throws IOException {
        BrokerConfig.Builder b = BrokerConfig.builder().port(1883);
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config")) {
                applyFile(b, Path.of(value(args, ++i, "--config")));
            }
        }
        Integer tlsPort = null;
        String cert = null;
        String key = null;
        String ca = null;
        // start from what the config file set (its maxQos was lost when this began from the defaults)
        BrokerConfig.Limits limits = b.build().limits();
        List<BrokerConfig.AclRule> acl = new ArrayList<>(b.build().acl());
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--config": i++; break;
                case "--port": b.port(intValue(args, ++i, arg)); break;
                case "--host": b.host(value(args, ++i, arg)); break;
                case "--tls-port": tlsPort = intValue(args, ++i, arg); break;
                case "--cert": cert = value(args, ++i, arg); break;
                case "--key": key = value(args, ++i, arg); break;
                case "--client-ca": ca = value(args, ++i, arg); break;
                case "--ws-port": b.webSocket(intValue(args, ++i, arg), "/mqtt"); break;
                case "--ws-path": {
                    String path = value(args, ++i, arg);
                    BrokerConfig tmp = b.build();
                    b.webSocket(tmp.wsPort() == null ? 0 : tmp.wsPort(), path);
                    break;
                }
                case "--user": {
                    String u = value(args, ++i, arg);
                    int colon = u.indexOf(':');
                    if (colon <= 0) {
                        throw new IllegalArgumentException("--user takes NAME:PASSWORD");
                    }
                    b.user(u.substring(0, colon), u.substring(colon + 1));
                    break;
                }
                case "--no-anonymous": b.allowAnonymous(false); break;
                case "--max-qos": limits = limits.withMaximumQos(intValue(args, ++i, arg)); break;
                case "--maximum-packet-size": limits = limits.withMaximumPacketSize(intValue(args, ++i, arg)); break;
                case "--receive-maximum": limits = limits.withReceiveMaximum(intValue(args, ++i, arg)); break;
                case "--topic-alias-maximum": limits = limits.withTopicAliasMaximum(intValue(args, ++i, arg)); break;
                case "--server-keep-alive": limits = limits.withServerKeepAlive(intValue(args, ++i, arg)); break;
                case "--no-retain": limits = limits.without(true, false, false, false); break;
                case "--no-wildcard-subscriptions": limits = limits.without(false, true, false, false); break;
                case "--no-subscription-identifiers": limits = limits.without(false, false, true, false); break;
                case "--no-shared-subscriptions": limits = limits.without(false, false, false, true); break;
                case "--deny-subscribe": acl.add(deny(BrokerConfig.AclRule.Access.SUBSCRIBE, value(args, ++i, arg))); break;
                case "--deny-publish": acl.add(deny(BrokerConfig.AclRule.Access.PUBLISH, value(args, ++i, arg))); break;
                case "--fault": {
                    String id = value(args, ++i, arg);
                    Fault.byId(id);
                    b.fault(id);
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown option " + arg);
            }
        }
        b.limits(limits);
        b.acl(acl);
        if (tlsPort != null) {
            if (cert == null || key == null) {
                throw new IllegalArgumentException("--tls-port needs --cert and --key");
            }
            b.tls(tlsPort, new BrokerConfig.TlsSettings(Path.of(cert), Path.of(key), ca == null ? null : Path.of(ca)));
        }
        return b.build();
    }

    private static void applyFile(BrokerConfig.Builder b, Path file) throws IOException {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        }
        if (p.getProperty("port") != null) {
            b.port(Integer.parseInt(p.getProperty("port").trim()));
        }
        if (p.getProperty("host") != null) {
            b.host(p.getProperty("host").trim());
        }
        if (p.getProperty("tls.port") != null) {
            String ca = p.getProperty("tls.clientCa");
            b.tls(Integer.parseInt(p.getProperty("tls.port").trim()), new BrokerConfig.TlsSettings(
                    Path.of(p.getProperty("tls.cert")), Path.of(p.getProperty("tls.key")), ca == null ? null : Path.of(ca)));
        }
        if (p.getProperty("ws.port") != null) {
            b.webSocket(Integer.parseInt(p.getProperty("ws.port").trim()), p.getProperty("ws.path", "/mqtt"));
        }
        if (p.getProperty("users") != null) {
            for (String u : p.getProperty("users").split(",")) {
                int colon = u.indexOf(':');
                if (colon > 0) {
                    b.user(u.substring(0, colon).trim(), u.substring(colon + 1).trim());
                }
            }
        }
        if (p.getProperty("anonymous") != null) {
            b.allowAnonymous(Boolean.parseBoolean(p.getProperty("anonymous").trim()));
        }
        if (p.getProperty("maxQos") != null) {
            b.limits(BrokerConfig.Limits.DEFAULTS.withMaximumQos(Integer.parseInt(p.getProperty("maxQos").trim())));
        }
        List<BrokerConfig.AclRule> acl = new ArrayList<>();
        for (String[] d : new String[][] {{"deny.subscribe", "SUBSCRIBE"}, {"deny.publish", "PUBLISH"}}) {
            if (p.getProperty(d[0]) != null) {
                for (String f : p.getProperty(d[0]).split(",")) {
                    if (!f.isBlank()) {
                        acl.add(deny(BrokerConfig.AclRule.Access.valueOf(d[1]), f.trim()));
                    }
                }
            }
        }
        b.acl(acl);
        if (p.getProperty("faults") != null) {
            for (String f : p.getProperty("faults").split(",")) {
                if (!f.isBlank()) {
                    Fault.byId(f);
                    b.fault(f.trim());
                }
            }
        }
    }

    private static BrokerConfig.AclRule deny(BrokerConfig.AclRule.Access access, String filter) {
        if (dev.mqttharness.spec.packet.TopicFilter.problem(filter, true) != null) {
            throw new IllegalArgumentException("not a topic filter: '" + filter + "'");
        }
        return new BrokerConfig.AclRule("*", access, filter.trim(), false);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int intValue(String[] args, int i, String option) {
        try {
            return Integer.parseInt(value(args, i, option));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a number");
        }
    }
}
