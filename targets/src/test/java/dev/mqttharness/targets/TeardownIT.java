package dev.mqttharness.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.mqttharness.targets.internal.DockerSupport;
import dev.mqttharness.targets.internal.Poll;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.testcontainers.DockerClientFactory;

/**
 * Nothing outlives the harness: not after a failing test, not after Ctrl-C or SIGTERM of the
 * harness JVM, and a container left by a harness killed with SIGKILL is removed by the next run.
 * The harness runs in a child JVM ({@link TargetsMain} start NAME) where it must be interrupted.
 */
class TeardownIT {

    /** A harness in a child JVM, its output collected line by line. */
    static final class Harness implements AutoCloseable {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> ready = new CompletableFuture<>();

        Harness(Map<String, String> env, String... args) throws IOException {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path")));
            cmd.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().putAll(env);
            process = pb.start();
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                        if (l.startsWith("ready ")) {
                            ready.complete(l);
                        }
                    }
                } catch (IOException e) {
                    // child gone
                }
                ready.complete(null);
            });
            t.setDaemon(true);
            t.start();
        }

        static Harness start(String target, Map<String, String> env) throws Exception {
            Harness h = new Harness(env, TargetsMain.class.getName(), "--file",
                    TestPaths.root().resolve("brokers.yaml").toString(), "start", target);
            String r = h.ready.get(120, TimeUnit.SECONDS);
            assertThat(r).as("child harness output: %s", h.lines).isNotNull();
            return h;
        }

        void signal(String sig) throws Exception {
            Process kill = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }

        int awaitExit() throws Exception {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("child harness exits; output: %s", lines).isTrue();
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    private static boolean mosquittoInstalled() {
        return Files.isExecutable(Path.of("/usr/sbin/mosquitto"));
    }

    @Test
    void ctrl_c_of_the_harness_stops_the_broker_process() throws Exception {
        assumeTrue(mosquittoInstalled(), "mosquitto is not installed");
        try (Harness h = Harness.start("mosquitto", Map.of())) {
            List<ProcessHandle> brokers = h.process.descendants()
                    .filter(p -> p.info().command().map(c -> c.endsWith("mosquitto")).orElse(false)).toList();
            assertThat(brokers).hasSize(1);
            h.signal("INT");
            h.awaitExit();
            assertThat(Poll.until(() -> !brokers.get(0).isAlive(), Duration.ofSeconds(10)))
                    .as("mosquitto pid %d stopped", brokers.get(0).pid()).isTrue();
        }
    }

    @Test
    void sigterm_of_the_harness_stops_a_jvm_broker() throws Exception {
        try (Harness h = Harness.start("moquette", Map.of())) {
            List<ProcessHandle> brokers = h.process.descendants().toList();
            assertThat(brokers).isNotEmpty();
            h.signal("TERM");
            h.awaitExit();
            assertThat(Poll.until(() -> brokers.stream().noneMatch(ProcessHandle::isAlive), Duration.ofSeconds(15)))
                    .as("broker JVM stopped: %s", brokers).isTrue();
        }
    }

    @Test
    void sigterm_removes_the_container_and_sigkill_leftovers_are_removed_by_the_next_run() throws Exception {
        String reason = Targets.dockerUnavailableReason().orElse(null);
        assumeTrue(reason == null, () -> "Docker is not available: " + reason);
        ContainerTargetIT.needsImage(TestPaths.brokers().target("mosquitto-container"));

        // SIGKILL: no hook runs, the container stays behind
        Harness killed = Harness.start("mosquitto-container", Map.of());
        String killedOwner = DockerSupport.owner().replaceAll(":\\d+$", ":" + killed.process.pid());
        killed.process.destroyForcibly();
        killed.awaitExit();
        assertThat(containersOf(killedOwner)).hasSize(1);

        // the next harness run removes it before it starts its own; SIGTERM then removes its own
        try (Harness h = Harness.start("mosquitto-container", Map.of())) {
            String owner = DockerSupport.owner().replaceAll(":\\d+$", ":" + h.process.pid());
            assertThat(containersOf(killedOwner)).isEmpty();
            assertThat(containersOf(owner)).hasSize(1);
            h.signal("TERM");
            h.awaitExit();
            assertThat(Poll.until(() -> containersOf(owner).isEmpty(), Duration.ofSeconds(15))).isTrue();
        }
    }

    private static List<com.github.dockerjava.api.model.Container> containersOf(String owner) {
        return DockerClientFactory.instance().client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerSupport.OWNER_LABEL, owner)).exec();
    }

    @Test
    void without_docker_container_targets_fail_fast_and_their_tests_are_skipped_with_the_reason() throws Exception {
        Map<String, String> noDocker = Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock");
        Harness start = new Harness(noDocker, TargetsMain.class.getName(), "--file",
                TestPaths.root().resolve("brokers.yaml").toString(), "start", "mosquitto-container");
        assertThat(start.awaitExit()).isEqualTo(1);
        assertThat(String.join("\n", start.lines)).contains("cannot start container target 'mosquitto-container': "
                + "Docker is not available: no Docker daemon: DOCKER_HOST is unix:///nonexistent/docker.sock");

        Harness tests = new Harness(noDocker, RunContainerTests.class.getName());
        assertThat(tests.awaitExit()).as("output %s", tests.lines).isZero();
        assertThat(tests.lines).contains("skipped: Assumption failed: Docker is not available: no Docker daemon: "
                + "DOCKER_HOST is unix:///nonexistent/docker.sock, and there is no such socket");
    }

    /** Runs {@link ContainerTargetIT} and prints why it was skipped (an assumption aborts the class). */
    public static final class RunContainerTests {
        public static void main(String[] args) {
            Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(ContainerTargetIT.class))
                    .execute().allEvents();
            events.aborted().stream().forEach(e -> System.out.println("skipped: " + e.getPayload(TestExecutionResult.class)
                    .flatMap(TestExecutionResult::getThrowable).map(Throwable::getMessage).orElse("?")));
            System.out.println("failed: " + events.failed().count() + ", aborted: " + events.aborted().count());
            System.exit(events.failed().count() == 0 && events.aborted().count() == 1 ? 0 : 1);
        }
    }

    @Test
    void a_failing_test_leaves_no_broker_process() {
        assumeTrue(mosquittoInstalled(), "mosquitto is not installed");
        Events tests = EngineTestKit.engine("junit-jupiter").selectors(selectClass(FailingScenario.class))
                .execute().testEvents();
        assertThat(tests.failed().count()).isEqualTo(1);
        assertThat(FailingScenario.pid).isPositive();
        assertThat(ProcessHandle.of(FailingScenario.pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    /** A scenario that fails half way, the way suites hold a target: one per class, closed after all. */
    static final class FailingScenario {
        static RunningTarget target;
        static volatile long pid;

        @Test
        void scenario() {
            target = Targets.launch(TestPaths.brokers().target("mosquitto"));
            pid = Probes.children("/usr/sbin/mosquitto").get(0).pid();
            fail("the broker answered wrongly");
        }

        @AfterAll
        static void stop() {
            target.close();
        }
    }
}
