package dev.mqttharness.reports.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttharness.reports.Fixtures;
import dev.mqttharness.reports.model.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {
    @TempDir
    Path dir;

    @Test
    void round_trip_keeps_every_field() throws Exception {
        RunReport r = Fixtures.hostileRun();
        Path f = dir.resolve("report.json");
        JsonReport.write(r, f);
        assertThat(JsonReport.read(f)).isEqualTo(r);
    }

    @Test
    void reports_written_before_run_errors_existed_still_read() throws Exception {
        Path f = dir.resolve("old.json");
        Files.writeString(f, "{\"schema\":\"mqtt-harness/run/v1\",\"runId\":\"a\",\"tool\":\"t\",\"command\":\"c\","
                + "\"startedAt\":1,\"finishedAt\":2,\"strict\":false,\"partial\":false,\"targets\":[],\"traces\":{},"
                + "\"fuzz\":[],\"selfCheck\":null}");
        assertThat(JsonReport.read(f).errors()).isEmpty();
    }

    @Test
    void another_schema_is_refused() throws Exception {
        Path f = dir.resolve("x.json");
        Files.writeString(f, "{\"schema\":\"something/else\"}");
        assertThatThrownBy(() -> JsonReport.read(f)).isInstanceOf(IOException.class).hasMessageContaining("not an mqtt-harness run report");
    }
}
