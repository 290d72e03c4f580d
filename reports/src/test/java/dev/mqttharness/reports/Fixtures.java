package dev.mqttharness.reports;

import dev.mqttharness.reports.model.FuzzCampaign;
import dev.mqttharness.reports.model.Observation;
import dev.mqttharness.reports.model.RunReport;
import dev.mqttharness.reports.model.SelfCheck;
import dev.mqttharness.reports.model.StatementResult;
import dev.mqttharness.reports.model.TargetReport;
import dev.mqttharness.reports.model.TraceRecord;
import dev.mqttharness.spec.verdict.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Report fixtures: a small run with two targets whose broker strings and payloads are hostile. */
public final class Fixtures {
    /** Markup a broker could send back in a payload or a reason string. */
    public static final String SCRIPT = "<script>window.__pwned=1</script>";
    public static final String IMG = "\"><img src=x onerror=\"window.__pwned=2\">";
    public static final String CLOSE_JSON = "</script><script>window.__pwned=3</script><!--";
    public static final String NUL = "a\u0000b";
    public static final String REPLACEMENT = "bad utf-8: \uFFFD\uFFFD";
    public static final String QUOTES = "it's \"quoted\" & <b>bold</b>";

    private Fixtures() {
    }

    public static RunReport hostileRun() {
        Map<String, TraceRecord> traces = new LinkedHashMap<>();
        traces.put("t-hostile", new TraceRecord("t-hostile", "PublishRetainScenarios.retained" + SCRIPT, "reference", "5.0",
                1_700_000_000_000L, List.of(
                        new TraceRecord.Event(0, "pub", "CONNECTED", "", 0, "connected to 127.0.0.1:1883"),
                        new TraceRecord.Event(120, "pub", "SENT", "101000044d5154540502003c00000570756231", 18,
                                "CONNECT clientId=pub" + CLOSE_JSON),
                        new TraceRecord.Event(950, "pub", "RECEIVED", "20030000000a", 6, "CONNACK rc=0x00 " + IMG),
                        new TraceRecord.Event(2100, "sub", "RECEIVED", "300d0007746f7069632f726b657074", 15,
                                "PUBLISH topic=topic/r payload='" + NUL + "' " + REPLACEMENT),
                        new TraceRecord.Event(3000, "sub", "CLOSED_BY_PEER", "", 0, "EOF")), 0));
        traces.put("t-plain", new TraceRecord("t-plain", "PublishRetainScenarios.plain", "mosquitto", "3.1.1",
                1_700_000_000_500L, List.of(new TraceRecord.Event(0, "c1", "SENT", "c000", 2, "PINGREQ"),
                        new TraceRecord.Event(400, "c1", "RECEIVED", "d000", 2, "PINGRESP")), 0));
        List<TargetReport> targets = List.of(
                target("reference", "embedded", Verdict.PASS, "t-hostile"),
                target("mosquitto", "process", Verdict.FAIL, "t-plain"));
        FuzzCampaign fuzz = new FuzzCampaign("reference", 42, 1000, 60_000, 16.6,
                Map.of("CONNECT", 400L, "PUBLISH", 1200L), Map.of("5.0 MQTT-3.3.1-5", 12L),
                List.of(new FuzzCampaign.Finding("MQTT-3.1.0-1/accepted", "5.0 MQTT-3.1.0-1", "accepted malformed packet " + SCRIPT,
                        "FAIL", 77, List.of("CONNECT clientId=" + IMG, "PUBLISH payload=" + NUL), "t-hostile",
                        "findings/x.json", "./mqtt-harness replay findings/x.json")));
        SelfCheck self = new SelfCheck(3, 4, List.of(new SelfCheck.Score("5.0", 3, 4)),
                List.of(new SelfCheck.Score("3.3", 1, 2)),
                List.of(new SelfCheck.Mutant("retain-not-stored", "5.0", List.of("MQTT-3.3.1-5"), "forgets " + SCRIPT, false,
                        List.of(), List.of(), "no scenario covers it"),
                        new SelfCheck.Mutant("no-connack", "5.0", List.of("MQTT-3.2.0-1"), "no CONNACK", true,
                                List.of("5.0 MQTT-3.2.0-1 FAIL"),
                                List.of("also broken: MQTT-3.1.4-5 PASS -> FAIL in ConnackScenarios.x " + SCRIPT,
                                        "cut short: MQTT-3.2.2-1 PASS -> ERROR in ConnackScenarios.x"), null,
                                List.of("ConnackScenarios.x"))), 1234);
        return new RunReport(RunReport.SCHEMA, "abc123", "mqtt-harness 0.1.0", "./mqtt-harness certify " + QUOTES,
                1_700_000_000_000L, 1_700_000_065_000L, false, false, targets, traces, List.of(fuzz), self,
                List.of("run note " + SCRIPT));
    }

    private static TargetReport target(String name, String kind, Verdict retain, String traceId) {
        List<StatementResult> s = new ArrayList<>();
        s.add(statement("5.0", "MQTT-3.3.1-5", "3.3.1.3", "MUST", "Retained messages are kept " + SCRIPT, retain,
                List.of(new Observation("PublishRetainScenarios.retained", "a retained message is stored", retain,
                        "the payload 'kept' " + QUOTES, "PUBLISH payload='" + NUL + "' " + IMG + " " + REPLACEMENT,
                        traceId, "./mqtt-harness certify --broker " + name + " --scenario X.y"))));
        s.add(statement("5.0", "MQTT-3.3.1-6", "3.3.1.3", "MUST", "Empty retained payload clears", Verdict.PASS,
                List.of(new Observation("PublishRetainScenarios.clear", "cleared", Verdict.PASS, "nothing", "nothing",
                        traceId, "cmd"))));
        s.add(statement("5.0", "MQTT-3.1.2-3", "3.1.2.1", "SHOULD", "Protocol name check", Verdict.NON_STRICT,
                List.of(new Observation("ConnectScenarios.name", "name", Verdict.NON_STRICT, "DISCONNECT 0x84",
                        "closed", null, "cmd"))));
        s.add(statement("5.0", "MQTT-4.7.1-1", "4.7.1", "MAY", "Wildcards " + CLOSE_JSON, Verdict.INFO,
                List.of(new Observation("TopicScenarios.w", "w", Verdict.INFO, "-", "-", null, "cmd"))));
        s.add(statement("5.0", "MQTT-3.8.3-4", "3.8.3", "MUST", "No-local on shared subscriptions", Verdict.UNSUPPORTED,
                List.of(new Observation("SubscribeScenarios.nl", "nl", Verdict.UNSUPPORTED, "-", "no shared subs", null, "cmd"))));
        s.add(statement("5.0", "MQTT-4.8.2-1", "4.8.2", "MUST", "Share name is valid", Verdict.ERROR,
                List.of(new Observation("SharedScenarios.x", "x", Verdict.ERROR, "-", "harness error: timeout", null, "cmd"))));
        s.add(statement("5.0", "MQTT-3.1.3-1", "3.1.3", "MUST", "Payload fields order", Verdict.NOT_TESTED, List.of()));
        s.add(statement("3.1.1", "MQTT-3.3.1-5", "3.3.1", "MUST", "Retained (3.1.1)", Verdict.PASS,
                List.of(new Observation("PublishRetainScenarios.retained", "ok", Verdict.PASS, "kept", "kept", traceId, "cmd"))));
        return new TargetReport(name, kind, "mqtt://127.0.0.1:1883", List.of("3.1.1", "5.0"), List.of("tls"), "OK",
                List.of("note " + SCRIPT), 42, s, List.of("log line " + SCRIPT, "line with " + NUL));
    }

    static StatementResult statement(String version, String id, String section, String level, String summary, Verdict v,
                                     List<Observation> obs) {
        return new StatementResult(version, id, section, "Section " + section, level, "W", summary,
                "https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html#:~:text=" + section, v, null,
                v == Verdict.FAIL || v == Verdict.ERROR, null, obs);
    }

    /** A large run: {@code statements} per target, {@code targets} targets, a trace per statement. */
    public static RunReport large(int targets, int statements) {
        Map<String, TraceRecord> traces = new LinkedHashMap<>();
        List<TargetReport> ts = new ArrayList<>();
        Verdict[] vs = {Verdict.PASS, Verdict.PASS, Verdict.FAIL, Verdict.NOT_TESTED, Verdict.NON_STRICT};
        for (int t = 0; t < targets; t++) {
            List<StatementResult> s = new ArrayList<>();
            for (int i = 0; i < statements; i++) {
                String traceId = "tr-" + t + "-" + i;
                List<TraceRecord.Event> ev = new ArrayList<>();
                for (int k = 0; k < 12; k++) {
                    ev.add(new TraceRecord.Event(k * 100L, "c" + (k % 2), k % 2 == 0 ? "SENT" : "RECEIVED",
                            "30".repeat(40), 40, "PUBLISH topic=a/b payload=" + k));
                }
                traces.put(traceId, new TraceRecord(traceId, "S.m" + i, "b" + t, "5.0", 0, ev, 0));
                Verdict v = vs[(i + t) % vs.length];
                s.add(statement("5.0", "MQTT-" + (1 + i % 4) + "." + (i % 9) + ".1-" + i, (1 + i % 4) + "." + (i % 9) + ".1",
                        i % 3 == 0 ? "SHOULD" : "MUST", "statement " + i, v, v == Verdict.NOT_TESTED ? List.of()
                                : List.of(new Observation("S.m" + i, "check", v, "e", "o", traceId, "cmd"))));
            }
            ts.add(new TargetReport("b" + t, "embedded", "mqtt://127.0.0.1:1", List.of("5.0"), List.of(), "OK", List.of(),
                    10, s, List.of()));
        }
        return new RunReport(RunReport.SCHEMA, "big", "mqtt-harness", "cmd", 1, 2, false, false, ts, traces, List.of(), null);
    }
}
