package dev.mqttharness.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.targets.internal.LogBuffer;
import dev.mqttharness.targets.internal.Placeholders;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlaceholdersTest {

    @Test
    void launch_placeholders_are_filled_and_other_braces_kept() {
        String out = Placeholders.fill("listener {port} {host}\n{\"json\": {unknown}}\nuser ${USER}",
                Map.of("port", "1883", "host", "127.0.0.1"));
        assertThat(out).isEqualTo("listener 1883 127.0.0.1\n{\"json\": {unknown}}\nuser ${USER}");
    }

    @Test
    void env_references_with_defaults() {
        assertThat(Placeholders.expandEnv("${A}-${B:-b}-${C:-}", Map.of("A", "a")::get, "x")).isEqualTo("a-b-");
        assertThat(Placeholders.isEnvReference("${MQTT_PASSWORD}")).isTrue();
        assertThat(Placeholders.isEnvReference("pre${X}")).isFalse();
        assertThat(Placeholders.isEnvReference("secret")).isFalse();
    }

    @Test
    void log_buffer_keeps_the_last_lines() {
        LogBuffer b = new LogBuffer(3);
        for (int i = 1; i <= 5; i++) {
            b.append("line " + i);
        }
        assertThat(b.last(2)).containsExactly("line 4", "line 5");
        assertThat(b.last(10)).containsExactly("line 3", "line 4", "line 5");
        assertThat(b.last(0)).isEmpty();
    }
}
