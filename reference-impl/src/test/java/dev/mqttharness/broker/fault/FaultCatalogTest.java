package dev.mqttharness.broker.fault;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.spec.catalog.Catalog;
import dev.mqttharness.spec.catalog.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The faults against the catalog: every server-side MUST / MUST NOT testable on the wire has a fault
 * that breaks it (so the self-check can prove a scenario catches it), and every statement a fault
 * names exists in the catalog of its version. That each fault really breaks its rule is
 * FaultSwitchTest's business.
 */
class FaultCatalogTest {

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    void every_server_side_must_that_is_wire_testable_has_a_fault(MqttVersion v) {
        List<String> missing = new ArrayList<>();
        for (Statement s : FaultCoverage.required(v)) {
            if (FaultCoverage.naming(v, s.id()).isEmpty()) {
                missing.add(s.id() + " (" + s.summary() + ")");
            }
        }
        assertThat(missing).as("MQTT %s statements without a fault", v.label()).isEmpty();
    }

    @Test
    void the_required_sets_are_the_documented_size() {
        // the README states these counts; a catalog change must update it
        assertThat(FaultCoverage.required(MqttVersion.V3_1_1)).hasSize(65);
        assertThat(FaultCoverage.required(MqttVersion.V5)).hasSize(118);
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void every_statement_a_fault_names_exists_in_its_catalog(Fault f) {
        assertThat(f.versions()).as("%s breaks a statement in some version", f).isNotEmpty();
        for (MqttVersion v : f.versions()) {
            Set<String> seen = new HashSet<>();
            for (String id : f.statements(v)) {
                assertThat(id.startsWith("§") || Catalog.get().exists(v, id))
                        .as("%s names %s %s, which the catalog lacks", f, v.label(), id).isTrue();
                assertThat(seen.add(id)).as("%s names %s twice", f, id).isTrue();
            }
        }
        assertThat(f.mistake()).isNotBlank();
        assertThat(Fault.byId(f.id())).isSameAs(f);
    }
}
