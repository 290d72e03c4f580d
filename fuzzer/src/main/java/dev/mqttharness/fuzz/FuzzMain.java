package dev.mqttharness.fuzz;

import dev.mqttharness.reports.json.JsonReport;
import dev.mqttharness.spec.MqttVersion;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A command line for the fuzzer until the CLI module exposes it as {@code mqtt-harness fuzz} and
 * {@code mqtt-harness replay}:
 *
 * <pre>
 * fuzz   --target NAME|HOST:PORT [--duration 60s] [--cases N] [--seed S] [--workers N]
 *        [--versions 3.1.1,5.0] [--findings DIR] [--json FILE] [--no-liveness] [--no-large]
 * replay FINDING.json [--target HOST:PORT]
 * </pre>
 *
 * Exit status: 0 without findings (or when a replay did not reproduce), 1 with findings (or when it
 * reproduced), 2 on a usage error.
 */
public final class FuzzMain {
    private FuzzMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        if (args.length == 0) {
            return usage("no command");
        }
        if (args[0].equals("replay")) {
            if (args.length < 2) {
                return usage("replay needs a finding file");
            }
            Path file = Path.of(args[1]);
            ReplayResult r;
            if (args.length >= 4 && args[2].equals("--target")) {
                String t = args[3];
                try (FuzzTarget target = FuzzTarget.resolve(t)) {
                    r = Campaign.replay(file, target.endpoint());
                }
            } else {
                r = Campaign.replay(file);
            }
            r.summary().forEach(System.out::println);
            return r.reproduced() ? 1 : 0;
        }
        if (!args[0].equals("fuzz")) {
            return usage("unknown command " + args[0]);
        }
        String target = null;
        CampaignOptions.Builder b = null;
        List<MqttVersion> versions = new ArrayList<>(List.of(MqttVersion.V3_1_1, MqttVersion.V5));
        Path json = null;
        List<String[]> opts = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--no-liveness") || a.equals("--no-large")) {
                opts.add(new String[] {a, null});
            } else if (i + 1 < args.length) {
                opts.add(new String[] {a, args[++i]});
            } else {
                return usage("option " + a + " needs a value");
            }
        }
        for (String[] o : opts) {
            if (o[0].equals("--target")) {
                target = o[1];
            }
        }
        if (target == null) {
            return usage("--target is required");
        }
        b = CampaignOptions.builder(target).log(System.out::println);
        boolean budget = false;
        for (String[] o : opts) {
            switch (o[0]) {
                case "--target": break;
                case "--duration": b.duration(CampaignOptions.parseDuration(o[1])); budget = true; break;
                case "--cases": b.cases(Long.parseLong(o[1])); budget = true; break;
                case "--seed": b.seed(Long.parseLong(o[1])); break;
                case "--workers": b.workers(Integer.parseInt(o[1])); break;
                case "--findings": b.findingsDir(Path.of(o[1])); break;
                case "--json": json = Path.of(o[1]); break;
                case "--no-liveness": b.liveness(false); break;
                case "--no-large": b.allowLarge(false); break;
                case "--versions": {
                    versions.clear();
                    for (String v : o[1].split(",")) {
                        versions.add(MqttVersion.parse(v).catalogVersion());
                    }
                    break;
                }
                default: return usage("unknown option " + o[0]);
            }
        }
        if (!budget) {
            b.duration(CampaignOptions.parseDuration("60s"));
        }
        b.versions(versions);
        CampaignResult r = Campaign.run(b.build());
        for (int i = 0; i < r.findings().size(); i++) {
            FindingRecord f = r.findings().get(i);
            System.out.println(f.statement() + " " + f.verdict() + " - " + f.kind() + (r.files().get(i) != null ? "  -> " + r.files().get(i) : ""));
        }
        if (!r.errors().isEmpty()) {
            System.out.println("harness/environment notes:");
            r.errors().forEach((k, v) -> System.out.println("  " + v + " x " + k));
        }
        if (json != null) {
            JsonReport.mapper().writeValue(json.toFile(), r.toReport());
        }
        return r.findings().isEmpty() ? 0 : 1;
    }

    private static int usage(String problem) {
        System.err.println("error: " + problem);
        System.err.println("usage: fuzz --target NAME|HOST:PORT [--duration 60s] [--cases N] [--seed S] [--workers N]"
                + " [--versions 3.1.1,5.0] [--findings DIR] [--json FILE] [--no-liveness] [--no-large]");
        System.err.println("       replay FINDING.json [--target NAME|HOST:PORT]");
        return 2;
    }
}
