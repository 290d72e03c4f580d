package dev.mqttharness.targets.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.testcontainers.DockerClientFactory;

/**
 * Whether Docker can be used here, and why not; asked once per JVM and bounded in time, so a
 * machine without Docker costs a run nothing but a clear message. Also removes containers left by
 * harness runs that died without cleaning up (killed with SIGKILL).
 */
public final class DockerSupport {
    /** Label on every container the harness starts: {@code host:pid} of the JVM that owns it. */
    public static final String OWNER_LABEL = "dev.mqttharness.owner";
    /** Label naming the target a container runs. */
    public static final String TARGET_LABEL = "dev.mqttharness.target";

    private static final long CHECK_SECONDS = 30;
    private static volatile Optional<String> reason;
    private static volatile boolean orphansRemoved;

    private DockerSupport() {
    }

    /** Empty if Docker answers; otherwise why not, in one line. */
    public static synchronized Optional<String> unavailableReason() {
        if (reason == null) {
            reason = Optional.ofNullable(check());
        }
        return reason;
    }

    private static String check() {
        String host = System.getenv("DOCKER_HOST");
        if (host != null && host.startsWith("unix://") && !Files.exists(Path.of(host.substring("unix://".length())))) {
            return "no Docker daemon: DOCKER_HOST is " + host + ", and there is no such socket";
        }
        if ((host == null || host.isBlank()) && !Files.exists(Path.of("/var/run/docker.sock"))
                && !Files.exists(Path.of(System.getProperty("user.home"), ".docker", "run", "docker.sock"))
                && !Files.exists(Path.of(System.getProperty("user.home"), ".testcontainers.properties"))) {
            return "no Docker daemon: /var/run/docker.sock does not exist and DOCKER_HOST is not set";
        }
        CompletableFuture<String> f = CompletableFuture.supplyAsync(() -> {
            try {
                if (DockerClientFactory.instance().isDockerAvailable()) {
                    return null;
                }
                DockerClientFactory.instance().client();
                return "Testcontainers found no working Docker environment";
            } catch (Throwable t) {
                String m = String.valueOf(t.getMessage()).strip();
                if (m.contains("network bridge not found")) {
                    return "Testcontainers looks for the gateway of Docker's default bridge network (it believes it runs "
                            + "in a container: /.dockerenv exists), and this daemon has none (dockerd --bridge=none): "
                            + "set TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1";
                }
                return "the Docker daemon at " + (host == null ? "unix:///var/run/docker.sock" : host)
                        + " does not answer: " + m;
            }
        });
        try {
            return f.get(CHECK_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            return "the Docker daemon did not answer within " + CHECK_SECONDS + " s";
        } catch (Exception e) {
            return "checking for Docker failed: " + e;
        }
    }

    /** {@code host:pid} of this JVM. */
    public static String owner() {
        return hostName() + ":" + ProcessHandle.current().pid();
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = Files.readString(Path.of("/etc/hostname")).trim();
            } catch (Exception e) {
                h = "localhost";
            }
        }
        return h;
    }

    /**
     * Removes containers labelled by a harness JVM on this host that no longer runs. Called before
     * the first container start of a JVM.
     */
    public static synchronized void removeOrphans() {
        if (orphansRemoved) {
            return;
        }
        orphansRemoved = true;
        try {
            DockerClient client = DockerClientFactory.instance().client();
            List<Container> list = client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(List.of(OWNER_LABEL)).exec();
            String me = hostName() + ":";
            for (Container c : list) {
                String owner = c.getLabels() == null ? null : c.getLabels().get(OWNER_LABEL);
                if (owner == null || !owner.startsWith(me)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(owner.substring(me.length()));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                try {
                    client.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
                    System.err.println("mqtt-harness: removed container " + c.getId().substring(0, 12)
                            + " left by harness process " + pid);
                } catch (RuntimeException e) {
                    // already gone
                }
            }
        } catch (RuntimeException e) {
            // best effort: a failure here must not stop the run
        }
    }
}
