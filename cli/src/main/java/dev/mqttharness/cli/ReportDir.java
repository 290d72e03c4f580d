package dev.mqttharness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Where a command writes its report: the directory given, or ./mqtt-harness-reports/TIMESTAMP with a {@code latest} link. */
final class ReportDir {
    static final Path DEFAULT_PARENT = Path.of("mqtt-harness-reports");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);

    private ReportDir() {
    }

    /** The directory to write to, created. {@code prefix} is put before the timestamp ("", "fuzz-", "compare-"). */
    static Path create(Path given, String prefix) {
        Path dir;
        if (given != null) {
            dir = given;
        } else {
            String name = prefix + STAMP.format(LocalDateTime.now());
            dir = DEFAULT_PARENT.resolve(name);
            for (int i = 2; Files.exists(dir); i++) {
                dir = DEFAULT_PARENT.resolve(name + "-" + i);
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UsageException("cannot create the report directory " + dir + ": " + e.getMessage());
        }
        if (given == null) {
            linkLatest(dir);
        }
        return dir;
    }

    /** Points mqtt-harness-reports/latest at the directory (a symbolic link; a note file where links are not allowed). */
    static void linkLatest(Path dir) {
        Path latest = dir.toAbsolutePath().getParent().resolve("latest");
        try {
            Files.deleteIfExists(latest);
            Files.createSymbolicLink(latest, latest.getParent().relativize(dir.toAbsolutePath()));
        } catch (IOException | UnsupportedOperationException e) {
            try {
                Files.writeString(latest, dir.getFileName() + "\n");
            } catch (IOException ignored) {
                // the link is a convenience
            }
        }
    }
}
