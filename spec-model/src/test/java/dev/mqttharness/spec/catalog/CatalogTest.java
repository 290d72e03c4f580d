package dev.mqttharness.spec.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mqttharness.spec.MqttVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CatalogTest {
    private final Catalog catalog = Catalog.get();

    @Test
    void catalog_holds_141_statements_for_3_1_1() {
        assertThat(catalog.statements(MqttVersion.V3_1_1)).hasSize(141);
    }

    @Test
    void catalog_holds_251_statements_for_5_0() {
        assertThat(catalog.statements(MqttVersion.V5)).hasSize(251);
    }

    @Test
    void mqtt_3_1_is_judged_by_the_3_1_1_catalog() {
        assertThat(catalog.statements(MqttVersion.V3_1)).isEqualTo(catalog.statements(MqttVersion.V3_1_1));
        assertThat(new StatementKey(MqttVersion.V3_1, "MQTT-3.1.0-1").version()).isEqualTo(MqttVersion.V3_1_1);
    }

    @Test
    void all_holds_both_versions() {
        assertThat(catalog.all()).hasSize(141 + 251);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void every_statement_has_summary_note_level_and_testability(MqttVersion v) {
        for (Statement s : catalog.statements(v)) {
            assertThat(s.version()).isEqualTo(v);
            assertThat(StatementIds.isNumbered(s.id())).as(s.id()).isTrue();
            assertThat(s.summary()).as(s.id() + " summary").isNotBlank();
            assertThat(s.note()).as(s.id() + " note").isNotBlank();
            assertThat(s.testability()).as(s.id() + " testability").isNotNull();
            assertThat(s.level()).as(s.id() + " level").isNotNull();
            assertThat(s.levelText()).as(s.id() + " level text").isNotBlank();
            assertThat(s.section()).as(s.id() + " section").isNotBlank();
            assertThat(s.actor()).as(s.id() + " actor").isNotBlank();
            assertThat(s.specUrl()).startsWith("https://docs.oasis-open.org/mqtt/");
        }
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void statement_ids_are_unique_per_version(MqttVersion v) {
        List<String> ids = catalog.statements(v).stream().map(Statement::id).toList();
        assertThat(ids).doesNotHaveDuplicates();
    }

    @Test
    void testability_counts_match_the_reviewed_classification() {
        assertThat(countByTestability(MqttVersion.V3_1_1)).isEqualTo(Map.of(
                Testability.W, 86L, Testability.W_STAR, 14L, Testability.CN, 23L, Testability.C, 11L, Testability.I, 7L));
        assertThat(countByTestability(MqttVersion.V5)).isEqualTo(Map.of(
                Testability.W, 158L, Testability.W_STAR, 43L, Testability.CN, 35L, Testability.C, 13L, Testability.I, 2L));
    }

    private Map<Testability, Long> countByTestability(MqttVersion v) {
        return catalog.statements(v).stream().collect(Collectors.groupingBy(Statement::testability,
                () -> new EnumMap<>(Testability.class), Collectors.counting()));
    }

    @Test
    void ids_are_keyed_by_version() {
        // the same ID string names different rules in the two versions
        Statement keepAlive = catalog.statement(MqttVersion.V3_1_1, "MQTT-3.1.2-24");
        Statement maxPacket = catalog.statement(MqttVersion.V5, "MQTT-3.1.2-24");
        assertThat(keepAlive.summary()).isNotEqualTo(maxPacket.summary());
        assertThat(keepAlive.key()).isNotEqualTo(maxPacket.key());
        assertThat(catalog.exists(MqttVersion.V3_1_1, "MQTT-4.7.0-1")).isFalse();
        assertThat(catalog.exists(MqttVersion.V5, "MQTT-4.7.0-1")).isTrue();
    }

    @Test
    void exists_accepts_numbered_ids_and_section_references() {
        assertThat(catalog.exists(MqttVersion.V5, "MQTT-3.3.1-4")).isTrue();
        assertThat(catalog.exists(MqttVersion.V3_1, "MQTT-3.3.1-4")).isTrue();
        assertThat(catalog.exists(MqttVersion.V5, "MQTT-3.3.1-" + 99)).isFalse();
        assertThat(catalog.exists(MqttVersion.V5, "§4.9")).isTrue();
        assertThat(catalog.exists(MqttVersion.V5, "§2.2.2.2")).isTrue();
        assertThat(catalog.exists(MqttVersion.V3_1_1, "§2.2.3")).isTrue();
        assertThat(catalog.exists(MqttVersion.V5, "§9.9")).isFalse();
        assertThat(catalog.exists(MqttVersion.V5, "not an id")).isFalse();
        assertThat(catalog.find(MqttVersion.V5, "MQTT-3.3.1-" + 99)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void section_index_loads_and_names_every_statement_section(MqttVersion v) {
        SectionIndex index = SectionIndex.get(v);
        assertThat(index.all()).hasSizeGreaterThan(100);
        assertThat(index.title("1")).isEqualTo("Introduction");
        for (Statement s : catalog.statements(v)) {
            assertThat(index.contains(s.section())).as(s.id() + " section " + s.section()).isTrue();
        }
        assertThat(catalog.sections(v)).isNotEmpty().allSatisfy(sec -> assertThat(index.contains(sec)).isTrue());
    }

    @Test
    void ids_sort_numerically() {
        assertThat(StatementIds.compare("MQTT-3.3.1-9", "MQTT-3.3.1-10")).isNegative();
        assertThat(StatementIds.compare("MQTT-3.10.3-1", "MQTT-3.9.3-2")).isPositive();
        assertThat(StatementIds.sectionOf("MQTT-4.2.0-1")).isEqualTo("4.2");
        assertThat(StatementIds.sectionOf("§3.3.4")).isEqualTo("3.3.4");
    }

    /** The repository's catalog holds the same IDs as the reference catalogs in shared/, when present. */
    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void catalog_ids_match_the_shared_reference_catalog(MqttVersion v) throws IOException {
        Path shared = RepositoryRoot.find().resolveSibling("shared").resolve("spec")
                .resolve("mqtt-" + v.label() + "-normative.tsv");
        assumeTrue(Files.isRegularFile(shared), "shared/spec not beside the repository");
        List<String> ids = Files.readAllLines(shared, StandardCharsets.UTF_8).stream().skip(1)
                .filter(l -> !l.isBlank()).map(l -> l.substring(0, l.indexOf('\t'))).toList();
        assertThat(catalog.statements(v).stream().map(Statement::id).toList()).containsExactlyInAnyOrderElementsOf(ids);
    }
}
