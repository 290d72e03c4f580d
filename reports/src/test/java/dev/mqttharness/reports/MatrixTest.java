package dev.mqttharness.reports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.verdict.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class MatrixTest {
    @Test
    void rows_are_statements_in_version_and_number_order_with_a_cell_per_target() {
        Matrix m = Matrix.of(Fixtures.hostileRun());
        assertThat(m.columns()).extracting(Matrix.Column::label).containsExactly("reference", "mosquitto");
        assertThat(m.rows().get(0).version()).isEqualTo("3.1.1");
        List<String> ids5 = m.rows().stream().filter(r -> r.version().equals("5.0")).map(Matrix.Row::id).toList();
        assertThat(ids5).containsExactly("MQTT-3.1.2-3", "MQTT-3.1.3-1", "MQTT-3.3.1-5", "MQTT-3.3.1-6", "MQTT-3.8.3-4",
                "MQTT-4.7.1-1", "MQTT-4.8.2-1");
        Matrix.Row retain = m.rows().stream().filter(r -> r.version().equals("5.0") && r.id().equals("MQTT-3.3.1-5"))
                .findFirst().orElseThrow();
        assertThat(retain.cells()).extracting(Matrix.Cell::verdict).containsExactly(Verdict.PASS, Verdict.FAIL);
        assertThat(retain.differs()).isTrue();
    }

    @Test
    void sections_compare_numerically() {
        assertThat(Matrix.compareSections("3.2", "3.10")).isNegative();
        assertThat(Matrix.compareSections("3.10", "3.10.1")).isNegative();
        assertThat(Matrix.compareSections("?", "1.5")).isPositive();
    }

    @Test
    void text_is_made_printable() {
        assertThat(Text.printable("a\u0000b\u001b\u007f")).isEqualTo("a\u2400b\u241b\u2421");
        assertThat(Text.printable("x\uD800y")).isEqualTo("x\uFFFDy");
        assertThat(Text.printable("emoji \uD83D\uDE00")).isEqualTo("emoji \uD83D\uDE00");
        assertThat(Text.safeUrl("javascript:alert(1)")).isNull();
        assertThat(Text.safeUrl("https://docs.oasis-open.org/x")).isEqualTo("https://docs.oasis-open.org/x");
    }
}
