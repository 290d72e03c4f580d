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
            try (java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                MAPPER.writeValue(out, report);
            }
            readable(tmp);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Gives a freshly written temp file the permissions of an ordinary file (rw-r--r--): temp files
     * are created owner-only, and a report is meant to be read by others (a CI, a web server).
     */
    public static void readable(Path file) {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException | IOException ignored) {
            // not a POSIX file system: its defaults apply
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
