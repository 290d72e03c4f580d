package dev.mqttharness.targets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * A small command line over the launchers, for people and for measurements:
 * <pre>
 *   list                              the targets of brokers.yaml
 *   start NAME                        start one, print its endpoint, run until Ctrl-C
 *   measure [--runs N] NAME... | all  time from launch to ready, N runs each
 * </pre>
 * Option {@code --file PATH} names the brokers.yaml (default: the nearest one, see
 * {@link BrokersFile#loadDefault()}).
 */
public final class TargetsMain {
    private TargetsMain() {
    }

    public static void main(String[] args) throws Exception {
        List<String> a = new ArrayList<>(Arrays.asList(args));
        BrokersFile file;
        int f = a.indexOf("--file");
        if (f >= 0 && f + 1 < a.size()) {
            file = BrokersFile.load(Path.of(a.get(f + 1)));
            a.remove(f + 1);
            a.remove(f);
        } else {
            file = BrokersFile.loadDefault();
        }
        String cmd = a.isEmpty() ? "list" : a.remove(0);
        try {
            switch (cmd) {
                case "list" -> list(file);
                case "start" -> start(file, a);
                case "measure" -> measure(file, a);
                default -> {
                    System.err.println("usage: list | start NAME | measure [--runs N] NAME... | all");
                    System.exit(2);
                }
            }
        } catch (TargetException e) {
            System.err.println("mqtt-harness: " + e.getMessage());
            System.exit(1);
        }
    }

    private static void list(BrokersFile file) {
        for (TargetSpec t : file.targets()) {
            System.out.printf(Locale.ROOT, "%-22s %-9s %-12s %s%s%n", t.name(), t.launch().kind(),
                    t.versions().toString(), t.description() == null ? "" : t.description(),
                    file.defaults().contains(t.name()) ? "  [default]" : "");
        }
    }

    private static void start(BrokersFile file, List<String> names) throws InterruptedException {
        if (names.size() != 1) {
            throw new TargetException("start takes one broker name (known: " + String.join(", ", file.names()) + ")");
        }
        RunningTarget t = Targets.launch(file.target(names.get(0)));
        CompletableFuture<CrashEvent> crashed = new CompletableFuture<>();
        t.onCrash(crashed::complete);
        System.out.println("ready " + t.spec().name() + " " + t.endpoint() + " in " + t.startupTime().toMillis() + " ms");
        System.out.flush();
        // runs until Ctrl-C (the shutdown hook stops the broker) or a crash
        CrashEvent e = crashed.join();
        System.out.println(e);
        e.lastLogs().forEach(l -> System.out.println("  | " + l));
        t.close();
        System.exit(3);
    }

    private static void measure(BrokersFile file, List<String> a) {
        int runs = 3;
        int r = a.indexOf("--runs");
        if (r >= 0 && r + 1 < a.size()) {
            runs = Integer.parseInt(a.get(r + 1));
            a.remove(r + 1);
            a.remove(r);
        }
        List<TargetSpec> targets = file.select(a);
        System.out.printf(Locale.ROOT, "%-22s %-9s %-28s %s%n", "target", "kind", "launch to ready, ms", "stop, ms");
        for (TargetSpec t : targets) {
            List<Long> ready = new ArrayList<>();
            List<Long> stop = new ArrayList<>();
            String failure = null;
            for (int i = 0; i < runs; i++) {
                try {
                    RunningTarget rt = Targets.launch(t);
                    ready.add(rt.startupTime().toMillis());
                    long t0 = System.nanoTime();
                    rt.close();
                    stop.add((System.nanoTime() - t0) / 1_000_000);
                } catch (TargetException e) {
                    failure = e.getMessage().lines().findFirst().orElse("");
                    break;
                }
            }
            System.out.printf(Locale.ROOT, "%-22s %-9s %-28s %s%n", t.name(), t.launch().kind(),
                    failure != null ? "FAILED: " + failure : ready.toString(), failure != null ? "" : stop.toString());
        }
    }
}
