package dev.mqttharness.fuzz;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mqttharness.reports.model.TraceRecord;
import dev.mqttharness.spec.trace.Trace;
import dev.mqttharness.spec.trace.TraceEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * A saved finding (schema {@value #SCHEMA}): enough to understand it without running anything (the
 * statement, what the spec allows, what the broker did, the shrunk steps, the trace) and enough to
 * replay it exactly (the generator settings and the shrunk choice sequence; the case's seed too).
 *
 * @param target      the broker: a brokers.yaml name, "reference" or "host:port"
 * @param endpoint    where it was reached when found
 * @param version     the case's protocol version
 * @param statement   "5.0 MQTT-3.8.3-5"
 * @param statementId "MQTT-3.8.3-5", or a section reference
 * @param kind        what went wrong
 * @param verdict     FAIL or NON_STRICT
 * @param related     statements the input breaks or that frame the judgement
 * @param seed        the original case's seed: replaying it regenerates the unshrunk case
 * @param versions    generator setting: versions drawn from
 * @param allowLarge  generator setting: megabyte packets allowed
 * @param choices     the shrunk choice sequence
 * @param steps       the shrunk case, one readable line per step (implicit CONNECTs included)
 * @param trace       the shrunk case's trace
 * @param originalChoices how many choices the case had before shrinking
 * @param shrinkAttempts  candidates replayed while shrinking
 * @param reproduced  how often the shrunk case reproduced when confirmed, e.g. "3/3"
 * @param expect      "reproduces" (a known deviation of that broker) or "fixed" (a bug since fixed:
 *                    the regression test requires that it no longer reproduces)
 * @param replay      the command that replays it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FindingRecord(
        String schema,
        String id,
        String target,
        String endpoint,
        String version,
        String statement,
        String statementId,
        String kind,
        String verdict,
        String expected,
        String observed,
        List<String> related,
        long seed,
        List<String> versions,
        boolean allowLarge,
        long[] choices,
        List<String> steps,
        List<TraceRecord.Event> trace,
        int originalChoices,
        int shrinkAttempts,
        String reproduced,
        String expect,
        String replay,
        String foundAt,
        String harness) {

    public static final String SCHEMA = "mqtt-harness/finding/v1";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public FindingRecord withExpect(String e) {
        return new FindingRecord(schema, id, target, endpoint, version, statement, statementId, kind, verdict, expected,
                observed, related, seed, versions, allowLarge, choices, steps, trace, originalChoices, shrinkAttempts,
                reproduced, e, replay, foundAt, harness);
    }

    public FindingRecord withReplay(String r) {
        return new FindingRecord(schema, id, target, endpoint, version, statement, statementId, kind, verdict, expected,
                observed, related, seed, versions, allowLarge, choices, steps, trace, originalChoices, shrinkAttempts,
                reproduced, expect, r, foundAt, harness);
    }

    /** Writes atomically. */
    public void write(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".finding", ".tmp");
        try {
            MAPPER.writeValue(tmp.toFile(), this);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static FindingRecord read(Path file) throws IOException {
        FindingRecord r = MAPPER.readValue(file.toFile(), FindingRecord.class);
        if (!SCHEMA.equals(r.schema())) {
            throw new IOException(file + " is not an mqtt-harness finding (schema " + r.schema() + ")");
        }
        return r;
    }

    /** A trace as report events (bytes in hex, long payloads shortened). */
    public static List<TraceRecord.Event> events(Trace trace) {
        List<TraceRecord.Event> out = new ArrayList<>();
        for (TraceEvent e : trace.events()) {
            String hex = e.bytes().length() > 512
                    ? dev.mqttharness.spec.packet.BinaryData.wrap(e.bytes().toByteArray(), 0, 512).toHex() + "..."
                    : e.bytes().toHex();
            String text = e.text().length() > 2_000 ? e.text().substring(0, 2_000) + "..." : e.text();
            out.add(new TraceRecord.Event(e.atNanos() / 1_000, e.connection(), e.kind().name(), hex, e.bytes().length(), text));
        }
        return out;
    }

    /** A file name for the finding: version, statement and kind, in safe characters. */
    public static String fileName(String version, String statementId, String kind) {
        String slug = (version + "-" + statementId + "-" + kind).toLowerCase(java.util.Locale.ROOT)
                .replace("§", "section-").replaceAll("[^a-z0-9.]+", "-").replaceAll("-+", "-");
        if (slug.length() > 120) {
            slug = slug.substring(0, 120);
        }
        return slug.replaceAll("^-|-$", "") + ".json";
    }
}
