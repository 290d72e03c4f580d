package dev.mqttharness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad usage exits 2 with one line that says what is wrong. */
class UsageTest {
    @TempDir
    Path dir;

    @Test
    void an_unknown_flag_is_one_line_and_exit_2() {
        Cli r = Cli.run("certify", "--bogus");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).isEqualTo(1);
        assertThat(r.err()).contains("Unknown option: '--bogus'").contains("certify --help");
    }

    @Test
    void an_unknown_broker_lists_the_known_ones() {
        Cli r = Cli.run("certify", "--broker", "no-such-broker");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).isEqualTo(1);
        assertThat(r.err()).contains("unknown broker 'no-such-broker'").contains("known: ").contains("reference");
    }

    @Test
    void an_unreadable_brokers_yaml_names_file_and_line() throws Exception {
        Path bad = dir.resolve("brokers.yaml");
        Files.writeString(bad, "default: [reference]\nbrokers:\n  reference:\n    launch: embedded\n    lanuch: x\n");
        Cli r = Cli.run("certify", "--brokers", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.errLines()).isEqualTo(1);
        assertThat(r.err()).contains(bad.toString() + ":5");
    }

    @Test
    void bad_values_are_usage_errors() {
        assertThat(Cli.run("certify", "--mqtt", "4.0").code()).isEqualTo(2);
        assertThat(Cli.run("certify", "--only", "99.9").err()).contains("no section 99.9");
        assertThat(Cli.run("certify", "--port", "1883").err()).contains("go with --host");
        assertThat(Cli.run("certify", "--host", "127.0.0.1", "--ca", "x.pem").err()).contains("need --tls");
        assertThat(Cli.run("certify", "--scenario", "NoSuchScenarios").err()).contains("no scenario class NoSuchScenarios");
        assertThat(Cli.run("certify", "--timeout", "abc").code()).isEqualTo(2);
        assertThat(Cli.run("certify", "--host", "h", "--password-env", "MQTT_HARNESS_SURELY_UNSET_VAR").err())
                .contains("MQTT_HARNESS_SURELY_UNSET_VAR is not set");
        assertThat(Cli.run().code()).isEqualTo(2);
        assertThat(Cli.run("fuzz").code()).isEqualTo(2);
        assertThat(Cli.run("report").code()).isEqualTo(2);
        assertThat(Cli.run("report", dir.resolve("missing.json").toString()).err()).contains("cannot read");
    }

    @Test
    void statements_browse_the_catalog_with_coverage() {
        Cli all = Cli.run("statements", "--mqtt", "5.0", "--section", "3.3");
        assertThat(all.code()).isZero();
        assertThat(all.out()).contains("MQTT 5.0").contains("MQTT-3.3.1-5").contains("wire-testable statements exercised")
                .doesNotContain("MQTT-3.1.2-1 ");
        Cli one = Cli.run("statements", "--mqtt", "5.0", "MQTT-3.3.1-5");
        assertThat(one.code()).isZero();
        assertThat(one.out()).contains("§3.3.1").contains("claimed by:").contains("https://docs.oasis-open.org/");
        assertThat(Cli.run("statements", "MQTT-9.9.9-9").code()).isEqualTo(2); // unknown-statement-on-purpose
        assertThat(Cli.run("statements", "--section", "42").code()).isEqualTo(2);
    }

    @Test
    void help_lists_the_commands() {
        Cli r = Cli.run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("certify", "fuzz", "replay", "report", "statements", "broker");
    }
}
