package dev.mqttharness.targets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mqttharness.client.Endpoint;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.targets.internal.ReadinessProbe;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Test helpers: an MQTT round trip against an endpoint, and PIDs found in broker logs. */
final class Probes {
    private Probes() {
    }

    /** CONNECT/CONNACK with each version the target is tested with. */
    static void assertAnswersConnect(RunningTarget t) {
        for (MqttVersion v : t.spec().versions()) {
            assertAnswersConnect(t.endpoint(), v);
        }
    }

    static void assertAnswersConnect(Endpoint ep, MqttVersion v) {
        ReadinessProbe.Result r = ReadinessProbe.probe(ep, v, Duration.ofSeconds(5), Duration.ofSeconds(5));
        assertThat(r).as("CONNECT %s to %s: %s", v, ep, r.describe()).isInstanceOf(ReadinessProbe.Ready.class);
    }

    /** The number after {@code key=} in the log lines (scripts in tests print their PIDs that way). */
    static Optional<Long> pidInLogs(List<String> lines, String key) {
        Pattern p = Pattern.compile(Pattern.quote(key) + "=(\\d+)");
        for (String l : lines) {
            Matcher m = p.matcher(l);
            if (m.find()) {
                return Optional.of(Long.parseLong(m.group(1)));
            }
        }
        return Optional.empty();
    }

    /** Live child processes of this JVM whose command line contains {@code marker}. */
    static List<ProcessHandle> children(String marker) {
        return ProcessHandle.current().descendants()
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .toList();
    }
}
