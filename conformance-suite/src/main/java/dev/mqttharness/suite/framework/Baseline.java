package dev.mqttharness.suite.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mqttharness.spec.catalog.StatementKey;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.verdict.Verdict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A target's expected verdicts: statements not listed are expected to PASS. A verdict worse than
 * expected is a regression and fails the build; a better one is reported as an improvement.
 *
 * <pre>
 * target: mosquitto
 * verdicts:
 *   "5.0 MQTT-3.1.2-24": FAIL   # why, in a comment
 * </pre>
 */
public final class Baseline {
    private final String target;
    private final Map<StatementKey, Verdict> expected;

    private Baseline(String target, Map<StatementKey, Verdict> expected) {
        this.target = target;
        this.expected = expected;
    }

    public static Baseline empty(String target) {
        return new Baseline(target, new TreeMap<>());
    }

    /** Loads a baseline; a missing file is an empty baseline (everything must PASS). */
    public static Baseline load(String target, Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return empty(target);
        }
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        Map<StatementKey, Verdict> map = new TreeMap<>();
        JsonNode v = root == null ? null : root.get("verdicts");
        if (v != null) {
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(parseKey(e.getKey(), file), parseVerdict(e.getValue().asText(), e.getKey(), file));
            }
        }
        return new Baseline(target, map);
    }

    private static StatementKey parseKey(String key, Path file) {
        int sp = key.indexOf(' ');
        if (sp < 0) {
            throw new IllegalArgumentException(file + ": baseline key '" + key + "' must be '<version> <statement>'");
        }
        return new StatementKey(MqttVersion.parse(key.substring(0, sp)), key.substring(sp + 1).trim());
    }

    private static Verdict parseVerdict(String v, String key, Path file) {
        try {
            return Verdict.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": '" + key + "' has unknown verdict '" + v + "'");
        }
    }

    public String target() {
        return target;
    }

    /** The expected verdict; PASS when the statement is not listed. */
    public Verdict expected(StatementKey key) {
        return expected.getOrDefault(key, Verdict.PASS);
    }

    public boolean lists(StatementKey key) {
        return expected.containsKey(key);
    }

    public Map<StatementKey, Verdict> entries() {
        return expected;
    }

    /** Writes a baseline listing every verdict other than PASS, with the observed outcome as a comment. */
    public static void write(Path file, String target, Map<StatementKey, Verdict> verdicts, Map<StatementKey, String> why)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# Expected verdicts for ").append(target).append(".\n");
        sb.append("# Statements not listed must PASS. Rewrite with: ./mqtt-harness certify --broker ")
                .append(target).append(" --update-baseline\n");
        sb.append("target: ").append(target).append('\n');
        sb.append("verdicts:\n");
        boolean any = false;
        for (Map.Entry<StatementKey, Verdict> e : new TreeMap<>(verdicts).entrySet()) {
            if (e.getValue() == Verdict.PASS || e.getValue() == Verdict.NOT_TESTED) {
                continue;
            }
            any = true;
            sb.append("  \"").append(e.getKey().version().label()).append(' ').append(e.getKey().id()).append("\": ")
                    .append(e.getValue());
            String w = why.get(e.getKey());
            if (w != null && !w.isBlank()) {
                sb.append("   # ").append(w.replace('\n', ' ').replaceAll("\\s+", " ").trim());
            }
            sb.append('\n');
        }
        if (!any) {
            sb.setLength(sb.length() - "verdicts:\n".length());
            sb.append("verdicts: {}\n");
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    }
}
