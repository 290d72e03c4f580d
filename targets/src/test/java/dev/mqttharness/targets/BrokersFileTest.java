package dev.mqttharness.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mqttharness.spec.MqttVersion;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokersFileTest {
    private static final Path FILE = Path.of("/work/brokers.yaml");

    private static BrokersFile parse(String yaml) {
        return BrokersFile.parse(yaml, FILE);
    }

    private static BrokersFileException error(String yaml) {
        try {
            parse(yaml);
        } catch (BrokersFileException e) {
            return e;
        }
        throw new AssertionError("no error for:\n" + yaml);
    }

    @Test
    void repository_brokers_yaml_is_valid_and_defaults_to_the_embedded_reference_brokers() {
        BrokersFile f = BrokersFile.load(TestPaths.root().resolve("brokers.yaml"));
        assertThat(f.defaults()).containsExactly("reference", "reference-limited");
        assertThat(f.names()).contains("reference", "mosquitto", "mosquitto-container", "hivemq-ce",
                "hivemq-ce-container", "moquette", "artemis", "external-example");
        assertThat(f.target("reference").launch()).isInstanceOf(Launch.Embedded.class);
        assertThat(f.target("mosquitto").launch()).isInstanceOf(Launch.Process.class);
        assertThat(f.target("hivemq-ce").launch()).isInstanceOf(Launch.Jvm.class);
        assertThat(f.target("mosquitto-container").launch()).isInstanceOf(Launch.Container.class);
        assertThat(f.target("external-example").launch()).isInstanceOf(Launch.External.class);
        assertThat(f.select(List.of())).extracting(TargetSpec::name).containsExactly("reference", "reference-limited");
        assertThat(f.target("reference-limited").launch()).isInstanceOf(Launch.Embedded.class);
        Launch.Jvm hivemq = (Launch.Jvm) f.target("hivemq-ce").launch();
        assertThat(hivemq.project()).isDirectory();
    }

    @Test
    void full_entry_is_read_into_the_spec() {
        BrokersFile f = parse("""
                default: [a]
                brokers:
                  a:
                    launch: process
                    command: [/bin/broker, -c, "{config}"]
                    config: "listen {port}"
                    env: { LOG: debug }
                    versions: ["5.0", 3.1.1]
                    lacks: [shared-subscriptions, qos2]
                    username: alice
                    password: ${A_PASSWORD}
                    tls: { ca: certs/ca.pem }
                    websocket: { path: /ws }
                    baseline: baselines/a.json
                    ready-timeout: 1500ms
                """);
        TargetSpec a = f.target("a");
        assertThat(a.versions()).containsExactly(MqttVersion.V5, MqttVersion.V3_1_1);
        assertThat(a.lacks()).containsExactlyInAnyOrder(Capability.SHARED_SUBSCRIPTIONS, Capability.QOS2);
        assertThat(a.offers(Capability.RETAIN)).isTrue();
        assertThat(a.credentials()).isEqualTo(new Credentials("alice", "${A_PASSWORD}"));
        assertThat(a.tls().ca()).isEqualTo(Path.of("/work/certs/ca.pem"));
        assertThat(a.webSocket()).isEqualTo(new WebSocketSettings("/ws", null));
        assertThat(a.baseline()).isEqualTo(Path.of("/work/baselines/a.json"));
        assertThat(a.readyTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(a.origin()).isEqualTo("/work/brokers.yaml:3");
        Launch.Process p = (Launch.Process) a.launch();
        assertThat(p.command()).containsExactly("/bin/broker", "-c", "{config}");
        assertThat(p.env()).isEqualTo(Map.of("LOG", "debug"));
    }

    @Test
    void versions_default_to_both() {
        TargetSpec t = parse("brokers: { r: { launch: embedded } }").target("r");
        assertThat(t.versions()).containsExactly(MqttVersion.V3_1_1, MqttVersion.V5);
        assertThat(t.readyTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void select_keeps_the_order_given_and_all_selects_everything() {
        BrokersFile f = parse("""
                default: [b]
                brokers:
                  a: { launch: embedded }
                  b: { launch: embedded }
                """);
        assertThat(f.select(List.of("b", "a", "b"))).extracting(TargetSpec::name).containsExactly("b", "a");
        assertThat(f.select(List.of("all"))).extracting(TargetSpec::name).containsExactly("a", "b");
    }

    @Test
    void unknown_broker_name_lists_the_known_ones() {
        BrokersFile f = parse("brokers: { alpha: { launch: embedded }, beta: { launch: embedded } }");
        assertThatThrownBy(() -> f.target("gamma"))
                .isInstanceOf(UnknownTargetException.class)
                .hasMessage("unknown broker 'gamma' in /work/brokers.yaml (known: alpha, beta)");
        assertThatThrownBy(() -> f.select(List.of("alpha", "gamma"))).isInstanceOf(UnknownTargetException.class);
    }

    @Test
    void no_default_list_and_no_name_is_an_error() {
        BrokersFile f = parse("brokers: { alpha: { launch: embedded } }");
        assertThatThrownBy(() -> f.select(List.of()))
                .hasMessageContaining("has no 'default:' list")
                .hasMessageContaining("known: alpha");
    }

    @Test
    void yaml_syntax_error_names_file_and_line() {
        BrokersFileException e = error("""
                brokers:
                  a:
                    launch: process
                    command: [/bin/x, "unclosed
                """);
        assertThat(e.file()).isEqualTo(FILE);
        assertThat(e.line()).isBetween(4, 5);
        assertThat(e.getMessage()).startsWith("/work/brokers.yaml:" + e.line() + ":").contains("not valid YAML");
    }

    @Test
    void unknown_setting_names_line_field_and_suggests_the_closest() {
        BrokersFileException e = error("""
                brokers:
                  mosq:
                    launch: container
                    imag: eclipse-mosquitto:2.0
                """);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("brokers.mosq.imag");
        assertThat(e.getMessage()).contains("unknown setting 'imag' (did you mean 'image'?)");
    }

    @Test
    void wrong_type_names_the_expected_shape() {
        BrokersFileException e = error("""
                brokers:
                  m:
                    launch: process
                    command: /usr/sbin/mosquitto -c x
                """);
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.field()).isEqualTo("brokers.m.command");
        assertThat(e.problem()).isEqualTo("expected a list");
    }

    @Test
    void non_numeric_port_is_an_error_at_its_line() {
        BrokersFileException e = error("""
                brokers:
                  x:
                    launch: external
                    host: 127.0.0.1
                    port: eighteen
                """);
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.field()).isEqualTo("brokers.x.port");
        assertThat(e.problem()).contains("whole number");
    }

    @Test
    void unknown_launch_kind_is_an_error() {
        BrokersFileException e = error("""
                brokers:
                  m:
                    launch: proces
                """);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.field()).isEqualTo("brokers.m.launch");
        assertThat(e.problem()).contains("unknown launch kind 'proces' (did you mean 'process'?)");
    }

    @Test
    void missing_launch_is_an_error() {
        BrokersFileException e = error("""
                brokers:
                  m:
                    command: [x]
                """);
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).contains("'launch:' is missing");
    }

    @Test
    void setting_of_another_kind_is_an_error() {
        BrokersFileException e = error("""
                brokers:
                  m:
                    launch: process
                    command: [x]
                    image: eclipse-mosquitto
                """);
        assertThat(e.line()).isEqualTo(5);
        assertThat(e.field()).isEqualTo("brokers.m.image");
        assertThat(e.problem()).contains("not a setting of launch: process (it belongs to container)");
    }

    @Test
    void required_settings_per_kind() {
        assertThat(error("brokers: { m: { launch: process } }").problem()).contains("'command:' is missing");
        assertThat(error("brokers: { m: { launch: container } }").problem()).contains("'image:' is missing");
        assertThat(error("brokers: { m: { launch: external, port: 1883 } }").problem()).contains("'host:' is missing");
        assertThat(error("brokers: { m: { launch: external, host: h } }").problem()).contains("'port:' is missing");
        assertThat(error("brokers: { m: { launch: jvm, classpath: [a.jar] } }").problem()).contains("'main:' is missing");
        assertThat(error("brokers: { m: { launch: jvm, main: M } }").problem()).contains("either 'project:'");
        assertThat(error("brokers: { m: { launch: external, host: h, port: 70000 } }").problem())
                .contains("a port is 1..65535");
    }

    @Test
    void unknown_capability_lists_the_known_ones() {
        BrokersFileException e = error("""
                brokers:
                  m:
                    launch: embedded
                    lacks: [retain, telepathy]
                """);
        assertThat(e.field()).isEqualTo("brokers.m.lacks[1]");
        assertThat(e.line()).isEqualTo(4);
        assertThat(e.problem()).contains("unknown capability 'telepathy'").contains("shared-subscriptions");
    }

    @Test
    void unknown_version_is_an_error() {
        BrokersFileException e = error("""
                brokers:
                  m:
                    launch: embedded
                    versions: [3.1.1, "6"]
                """);
        assertThat(e.field()).isEqualTo("brokers.m.versions[1]");
        assertThat(e.problem()).contains("unknown MQTT version '6'");
    }

    @Test
    void literal_password_is_refused() {
        BrokersFileException e = error("""
                brokers:
                  m:
                    launch: external
                    host: h
                    port: 1883
                    username: bob
                    password: hunter2
                """);
        assertThat(e.line()).isEqualTo(7);
        assertThat(e.problem()).contains("must be an environment reference").doesNotContain("hunter2");
    }

    @Test
    void default_must_name_defined_brokers() {
        BrokersFileException e = error("""
                default: [a, zz]
                brokers:
                  a: { launch: embedded }
                """);
        assertThat(e.field()).isEqualTo("default[1]");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.problem()).contains("unknown broker 'zz' (known: a)");
    }

    @Test
    void duplicate_broker_is_an_error() {
        BrokersFileException e = error("""
                brokers:
                  a: { launch: embedded }
                  a: { launch: embedded }
                """);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.getMessage()).contains("Duplicate");
    }

    @Test
    void empty_file_is_an_error() {
        assertThat(error("").problem()).contains("no brokers defined");
        assertThat(error("default: [a]").problem()).contains("no brokers defined");
    }

    @Test
    void bad_durations_and_websocket_settings() {
        assertThat(error("brokers: { m: { launch: embedded, ready-timeout: soon } }").problem())
                .contains("expected a duration");
        assertThat(error("brokers: { m: { launch: embedded, websocket: { path: mqtt } } }").problem())
                .contains("must start with '/'");
        assertThat(error("brokers: { m: { launch: external, host: h, port: 1, websocket: { path: /m } } }").problem())
                .contains("'port' is required");
        assertThat(error("brokers: { m: { launch: embedded, websocket: { port: 80 } } }").problem())
                .contains("{ws-port}");
        assertThat(error("brokers: { m: { launch: embedded, tls: { cert: c.pem } } }").problem())
                .contains("'cert' and 'key' go together");
    }

    @Test
    void credentials_are_expanded_from_the_environment() {
        Credentials c = new Credentials("${U:-guest}", "${P}");
        assertThat(c.resolve(Map.of("P", "s3cret")::get, "here")).isEqualTo(new Credentials("guest", "s3cret"));
        assertThatThrownBy(() -> c.resolve(Map.<String, String>of()::get, "brokers.yaml:9: broker 'remote'"))
                .isInstanceOf(TargetException.class)
                .hasMessage("brokers.yaml:9: broker 'remote' password: environment variable P is not set "
                        + "(brokers.yaml takes secrets from the environment only)");
        assertThat(c.toString()).doesNotContain("P}");
    }
}
