package dev.mqttharness.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.mqttharness.targets.internal.DockerSupport;
import dev.mqttharness.targets.internal.Poll;
import dev.mqttharness.targets.internal.Teardown;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * launch: container, through Testcontainers, with the images docker/build-images.sh builds (CI) and
 * host networking. Skipped, with the reason, where Docker is not available.
 */
class ContainerTargetIT {

    @BeforeAll
    static void needsDocker() {
        String reason = Targets.dockerUnavailableReason().orElse(null);
        assumeTrue(reason == null, () -> "Docker is not available: " + reason);
    }

    static void needsImage(TargetSpec spec) {
        String image = ((Launch.Container) spec.launch()).image();
        boolean present;
        try {
            DockerClientFactory.instance().client().inspectImageCmd(image).exec();
            present = true;
        } catch (RuntimeException e) {
            present = false;
        }
        // in CI the image must be there (.ci/run builds it); elsewhere say how to get it
        if (System.getenv("CI") == null) {
            assumeTrue(present, () -> "image " + image + " is not on this machine: run docker/build-images.sh");
        }
    }

    /** Containers this JVM started for {@code target}, running or not. */
    static List<Container> containers(String target) {
        DockerClient client = DockerClientFactory.instance().client();
        return client.listContainersCmd().withShowAll(true)
                .withLabelFilter(java.util.Map.of(DockerSupport.OWNER_LABEL, DockerSupport.owner(),
                        DockerSupport.TARGET_LABEL, target))
                .exec();
    }

    @Test
    void mosquitto_container_starts_survives_a_stop_and_is_removed() throws Exception {
        TargetSpec spec = TestPaths.brokers().target("mosquitto-container");
        needsImage(spec);
        RunningTarget t = Targets.launch(spec);
        try {
            Probes.assertAnswersConnect(t);
            assertThat(t.endpoint().host()).isEqualTo("127.0.0.1");
            assertThat(t.recentLogs(50)).anyMatch(l -> l.contains("mosquitto version"));
            List<Container> running = containers(spec.name());
            assertThat(running).hasSize(1);

            // crash: stop the container behind the harness's back
            CompletableFuture<CrashEvent> crash = new CompletableFuture<>();
            t.onCrash(crash::complete);
            DockerClientFactory.instance().client().killContainerCmd(running.get(0).getId()).exec();
            assertThat(crash.get(15, TimeUnit.SECONDS).reason()).contains("exited with code 137");
            assertThat(t.isAlive()).isFalse();

            t.restart();
            Probes.assertAnswersConnect(t);
            assertThat(t.isAlive()).isTrue();
        } finally {
            t.close();
        }
        assertThat(Poll.until(() -> containers(spec.name()).isEmpty(), Duration.ofSeconds(10)))
                .as("containers of %s removed", spec.name()).isTrue();
        assertThat(Teardown.openCount()).isZero();
    }

    @Test
    void hivemq_ce_container_starts_and_is_removed() {
        TargetSpec spec = TestPaths.brokers().target("hivemq-ce-container");
        needsImage(spec);
        try (RunningTarget t = Targets.launch(spec)) {
            Probes.assertAnswersConnect(t);
            assertThat(t.recentLogs(100)).anyMatch(l -> l.contains("Started EmbeddedHiveMQ"));
            assertThat(containers(spec.name())).hasSize(1);
        }
        assertThat(Poll.until(() -> containers(spec.name()).isEmpty(), Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void missing_image_fails_with_a_clear_message_and_leaves_nothing() {
        TargetSpec spec = BrokersFile.parse("""
                brokers:
                  ghost:
                    launch: container
                    image: mqtt-harness/no-such-image:never
                    network: host
                    ready-timeout: 20s
                """, TestPaths.root().resolve("brokers.yaml")).target("ghost");
        long t0 = System.nanoTime();
        try (RunningTarget t = Targets.launch(spec)) {
            throw new AssertionError("started " + t);
        } catch (TargetStartException e) {
            assertThat(e.getMessage()).contains("image mqtt-harness/no-such-image:never is not on this machine and could not be pulled")
                    .contains("docker/build-images.sh");
        }
        // one pull attempt, not Testcontainers' two minutes of retries
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(60));
        assertThat(containers("ghost")).isEmpty();
    }
}
