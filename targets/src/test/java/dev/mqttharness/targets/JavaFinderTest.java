package dev.mqttharness.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttharness.targets.internal.JavaFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class JavaFinderTest {

    @Test
    void no_setting_means_the_harness_jvm() {
        assertThat(JavaFinder.find(null, "t")).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
    }

    @Test
    void a_major_version_picks_an_installed_jdk_at_least_that_new() {
        Path java = JavaFinder.find("17", "t");
        assertThat(java).isExecutable();
        assertThat(JavaFinder.major(java.getParent().getParent())).hasValueSatisfying(v -> assertThat(v).isGreaterThanOrEqualTo(17));
    }

    @Test
    void a_jdk_folder_or_a_java_path() {
        Path home = Path.of(System.getProperty("java.home"));
        assertThat(JavaFinder.find(home.toString(), "t")).isEqualTo(home.resolve("bin").resolve("java"));
        assertThat(JavaFinder.find(home.resolve("bin/java").toString(), "t")).isEqualTo(home.resolve("bin").resolve("java"));
        assertThat(Files.exists(home.resolve("release")) ? JavaFinder.major(home) : java.util.Optional.of(17)).isPresent();
    }

    @Test
    void a_version_nobody_has_is_a_clear_error() {
        assertThatThrownBy(() -> JavaFinder.find("999", "hivemq-ce"))
                .isInstanceOf(TargetException.class)
                .hasMessageContaining("target 'hivemq-ce': java: 999 asked for, but the newest JDK found is");
        assertThatThrownBy(() -> JavaFinder.find("/nonexistent/jdk", "x"))
                .hasMessageContaining("no java executable at /nonexistent/jdk");
    }
}
