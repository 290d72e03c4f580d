package dev.mqttharness.reports.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mqttharness.reports.model.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Reads and writes {@code report.json} (schema {@value RunReport#SCHEMA}). */
public final class JsonReport {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private JsonReport() {
    }

    /** Writes atomically (temp file, then move), so a reader never sees half a report. */
    public static void write(RunReport report, Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".report", ".json.tmp");
        try {
            MAPPER.writeValue(tmp.toFile(), report);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static RunReport read(Path file) throws IOException {
        RunReport r = MAPPER.readValue(file.toFile(), RunReport.class);
        if (r.schema() == null || !r.schema().equals(RunReport.SCHEMA)) {
            throw new IOException(file + " is not an mqtt-harness run report (schema " + r.schema() + ")");
        }
        return r;
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
