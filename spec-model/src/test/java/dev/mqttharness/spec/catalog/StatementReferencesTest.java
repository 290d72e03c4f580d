package dev.mqttharness.spec.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every statement ID written anywhere in the repository's Java sources names a statement of at
 * least one version's catalog: a typo in an ID would otherwise silently point a check or a report
 * at nothing. A line that uses an unknown ID on purpose (a test of how unknown IDs are handled)
 * says so with the marker {@value #MARKER}, e.g. in a trailing comment.
 */
class StatementReferencesTest {
    private static final Pattern ID = Pattern.compile("MQTT-\\d+\\.\\d+\\.\\d+-\\d+");
    static final String MARKER = "unknown-statement-on-purpose";

    /** What a scan found: files and IDs seen, and "path:line: id" for each unknown one. */
    record Scan(int files, int ids, List<String> unknown) {
    }

    static Scan scan(Path root) throws IOException {
        Catalog catalog = Catalog.get();
        List<String> unknown = new ArrayList<>();
        int files = 0;
        int ids = 0;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.filter(StatementReferencesTest::isSource).sorted()::iterator) {
                files++;
                List<String> lines = Files.readAllLines(p, StandardCharsets.UTF_8);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains(MARKER)) {
                        continue;
                    }
                    Matcher m = ID.matcher(lines.get(i));
                    while (m.find()) {
                        ids++;
                        String id = m.group();
                        if (!catalog.exists(MqttVersion.V3_1_1, id) && !catalog.exists(MqttVersion.V5, id)) {
                            unknown.add(root.relativize(p) + ":" + (i + 1) + ": " + id);
                        }
                    }
                }
            }
        }
        return new Scan(files, ids, unknown);
    }

    @Test
    void every_statement_id_in_java_sources_exists_in_a_catalog() throws IOException {
        Scan scan = scan(RepositoryRoot.find());
        assertThat(scan.files()).as("Java files scanned").isGreaterThan(50);
        assertThat(scan.ids()).as("statement IDs seen").isGreaterThan(100);
        assertThat(scan.unknown()).as("statement IDs in neither catalog (mark a deliberate one with '" + MARKER + "')")
                .isEmpty();
    }

    @Test
    void scan_reports_file_and_line_and_honours_the_marker(@TempDir Path dir) throws IOException {
        String unknown = "MQTT-3.3.1-" + "99";
        Files.createDirectories(dir.resolve("a/src"));
        Files.createDirectories(dir.resolve("a/target"));
        Files.writeString(dir.resolve("a/src/A.java"), String.join("\n",
                "class A {",
                "  String known = \"MQTT-3.3.1-4\"; // and MQTT-4.7.0-1 (5.0 only)",
                "  String typo = \"" + unknown + "\";",
                "  String sentinel = \"" + unknown + "\"; // " + MARKER,
                "}"));
        Files.writeString(dir.resolve("a/target/B.java"), "\"" + unknown + "\"");
        Files.writeString(dir.resolve("a/src/notes.txt"), "\"" + unknown + "\"");
        Scan scan = scan(dir);
        assertThat(scan.files()).isEqualTo(1);
        assertThat(scan.ids()).isEqualTo(3);
        assertThat(scan.unknown()).containsExactly(Path.of("a", "src", "A.java") + ":3: " + unknown);
    }

    private static boolean isSource(Path p) {
        if (!p.toString().endsWith(".java") || !Files.isRegularFile(p)) {
            return false;
        }
        for (Path part : p) {
            String s = part.toString();
            if (s.equals("target") || s.equals(".git") || s.equals("node_modules")) {
                return false;
            }
        }
        return true;
    }
}
