package dev.mqttharness.suite.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttharness.broker.fault.Fault;
import dev.mqttharness.spec.MqttVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The selection file narrows the scenarios per target (the self-check's fault targets); fault target names. */
class SelectionFileTest {

    @Test
    void a_selection_file_narrows_each_target_to_its_scenarios(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("selection.tsv");
        SuiteSettings.writeSelection(f, Map.of("reference~retain-not-stored",
                List.of("3.1.1|PublishRetainScenarios.a", "5.0|PublishRetainScenarios.b")));
        SuiteSettings s = SuiteSettings.from(k -> k.equals("mqtt.selection.file") ? Optional.of(f.toString()) : Optional.empty());
        String t = "reference~retain-not-stored";
        assertThat(s.selects(t, MqttVersion.V3_1_1, "PublishRetainScenarios.a")).isTrue();
        assertThat(s.selects(t, MqttVersion.V5, "PublishRetainScenarios.a")).isFalse();
        assertThat(s.selects(t, MqttVersion.V5, "PublishRetainScenarios.b")).isTrue();
        assertThat(s.selectsClass(t, "PublishRetainScenarios")).isTrue();
        assertThat(s.selectsClass(t, "WillScenarios")).isFalse();
        // a target the file does not list runs nothing
        assertThat(s.selects("reference", MqttVersion.V5, "PublishRetainScenarios.b")).isFalse();
        assertThat(s.selectsClass("reference", "PublishRetainScenarios")).isFalse();
    }

    @Test
    void without_a_selection_file_everything_is_selected() {
        SuiteSettings s = SuiteSettings.from(k -> Optional.empty());
        assertThat(s.selects("reference", MqttVersion.V5, "Any.thing")).isTrue();
        assertThat(s.selectsClass("reference", "AnyScenarios")).isTrue();
    }

    @Test
    void a_bad_line_is_refused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.tsv");
        Files.writeString(f, "reference 5.0 X.y\n");
        assertThatThrownBy(() -> SuiteSettings.readSelection(f)).hasMessageContaining("TARGET<TAB>VERSION<TAB>Class.method");
    }

    @Test
    void fault_target_names_name_the_base_and_the_faults() {
        String name = FaultTargets.name("reference", Fault.RETAIN_NOT_STORED);
        assertThat(name).isEqualTo("reference~retain-not-stored");
        assertThat(FaultTargets.isFaulty(name)).isTrue();
        assertThat(FaultTargets.base(name)).isEqualTo("reference");
        assertThat(FaultTargets.brokerArgs(name)).containsExactly("--fault", "retain-not-stored");
        assertThat(FaultTargets.isFaulty("reference")).isFalse();
        assertThatThrownBy(() -> FaultTargets.faults("reference~no-such-fault")).isInstanceOf(TargetUnavailable.class);
    }
}
