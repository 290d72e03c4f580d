package dev.mqttharness.targets.internal;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.WaitResponse;
import dev.mqttharness.client.Endpoint;
import dev.mqttharness.targets.DockerUnavailableException;
import dev.mqttharness.targets.Launch;
import dev.mqttharness.targets.TargetSpec;
import dev.mqttharness.targets.TargetStartException;
import java.io.Closeable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.output.OutputFrame;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;
import org.testcontainers.images.PullPolicy;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * {@code launch: container}: an image run through Testcontainers, its config copied in, its log
 * captured, its exit watched with {@code docker wait}. With {@code network: host} the broker binds
 * the free host port {@code {port}} (every byte stays on loopback); otherwise the harness maps
 * {@code container-port}.
 */
public final class ContainerStarter implements Starter {
    /** {@code {dir}} inside a container. */
    static final String CONTAINER_DIR = "/tmp/mqtt-harness";

    /** Bound on pulling an image that is not on the machine. */
    static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);

    @Override
    public void prepare(TargetSpec spec, LogBuffer logs) {
        Launch.Container l = (Launch.Container) spec.launch();
        DockerSupport.unavailableReason().ifPresent(r -> {
            throw new DockerUnavailableException(spec.name(), r);
        });
        DockerSupport.removeOrphans();
        ensureImage(spec.name(), l.image(), logs);
    }

    /**
     * Pulls the image if it is not on the machine: once, bounded, and failing at the first error
     * (Testcontainers would retry for two minutes where no registry can be reached).
     */
    static void ensureImage(String target, String image, LogBuffer logs) {
        DockerClient client = DockerClientFactory.instance().client();
        try {
            client.inspectImageCmd(image).exec();
            return;
        } catch (NotFoundException e) {
            // not here: pull it
        }
        DockerImageName name = DockerImageName.parse(image);
        logs.append("mqtt-harness: pulling " + image);
        try {
            boolean done = client.pullImageCmd(name.getUnversionedPart())
                    .withTag(name.getVersionPart())
                    .start()
                    .awaitCompletion(PULL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (!done) {
                throw new TargetStartException("target '" + target + "': pulling " + image + " took more than "
                        + PULL_TIMEOUT.toMinutes() + " minutes", logs.last(ManagedTarget.QUOTED_LOG_LINES));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TargetStartException("target '" + target + "': interrupted while pulling " + image, List.of(), e);
        } catch (RuntimeException e) {
            if (e instanceof TargetStartException t) {
                throw t;
            }
            throw new TargetStartException("target '" + target + "': image " + image + " is not on this machine and "
                    + "could not be pulled: " + causes(e) + " (without a registry, build it with docker/build-images.sh)",
                    List.of(), e);
        }
    }

    @Override
    public Instance start(StartContext ctx) {
        Launch.Container l = (Launch.Container) ctx.spec().launch();
        String name = ctx.spec().name();

        boolean host = l.hostNetwork();
        Map<String, String> values = ctx.placeholders(l.configPath());
        values.put("dir", CONTAINER_DIR);
        if (!host) {
            values.put("port", Integer.toString(l.containerPort()));
            values.put("ws-port", l.containerWsPort() == null ? "0" : Integer.toString(l.containerWsPort()));
        }

        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(l.image()));
        c.withNetworkMode(l.network());
        c.withStartupAttempts(1);
        c.withImagePullPolicy(PullPolicy.defaultPolicy());
        c.withStartupTimeout(Duration.between(Instant.now(), ctx.deadline()).plusSeconds(1));
        c.waitingFor(new AbstractWaitStrategy() {
            @Override
            protected void waitUntilReady() {
                // readiness is the harness's CONNECT/CONNACK probe, the same for every kind
            }
        });
        c.withLabels(Map.of(DockerSupport.OWNER_LABEL, DockerSupport.owner(), DockerSupport.TARGET_LABEL, name));
        if (!l.command().isEmpty()) {
            c.withCommand(ProcessStarter.fill(l.command(), values).toArray(String[]::new));
        }
        Map<String, String> env = new HashMap<>();
        for (Map.Entry<String, String> e : l.env().entrySet()) {
            env.put(e.getKey(), Placeholders.fill(Placeholders.expandEnv(e.getValue(), ctx.env(),
                    ctx.spec().origin() + ": env " + e.getKey()), values));
        }
        c.withEnv(env);
        if (l.config() != null) {
            c.withCopyToContainer(Transferable.of(Placeholders.fill(l.config(), values), 0644), l.configPath());
        }
        if (!host) {
            List<Integer> exposed = new ArrayList<>(List.of(l.containerPort()));
            if (l.containerWsPort() != null) {
                exposed.add(l.containerWsPort());
            }
            c.withExposedPorts(exposed.toArray(Integer[]::new));
        }
        LogBuffer logs = ctx.logs();
        c.withLogConsumer((OutputFrame f) -> {
            String s = f.getUtf8StringWithoutLineEnding();
            if (s != null && !s.isEmpty()) {
                for (String line : s.split("\r?\n")) {
                    logs.append(line);
                }
            }
        });

        logs.append("mqtt-harness: starting container " + l.image() + " (network " + l.network() + ")");
        try {
            c.start();
        } catch (RuntimeException e) {
            stopQuietly(c);
            throw new TargetStartException("target '" + name + "': container " + l.image() + " did not start: "
                    + causes(e) + hint(e), logs.last(ManagedTarget.QUOTED_LOG_LINES), e);
        }

        Endpoint ep;
        if (host) {
            ep = EndpointFactory.create(ctx.spec(), "127.0.0.1", ctx.port(), ctx.wsPort(), ctx.env());
        } else {
            int ws = l.containerWsPort() == null ? 0 : c.getMappedPort(l.containerWsPort());
            ep = EndpointFactory.create(ctx.spec(), c.getHost(), c.getMappedPort(l.containerPort()), ws, ctx.env());
        }
        return new ContainerInstance(c, ep, logs);
    }

    private static String causes(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 600; t = t.getCause()) {
            if (b.length() > 0) {
                b.append(": ");
            }
            b.append(t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage());
            if (t.getCause() == t) {
                break;
            }
        }
        return b.toString();
    }

    private static String hint(Throwable e) {
        String all = causes(e).toLowerCase(java.util.Locale.ROOT);
        if (all.contains("ryuk")) {
            return " (Testcontainers' Ryuk needs an image from a registry: set TESTCONTAINERS_RYUK_DISABLED=true;"
                    + " the harness removes its containers itself)";
        }
        if (all.contains("pull") || all.contains("not found") || all.contains("no such image")) {
            return " (the image is not on this machine and could not be pulled; without a registry, build it with"
                    + " docker/build-images.sh)";
        }
        return "";
    }

    static void stopQuietly(GenericContainer<?> c) {
        try {
            c.stop();
        } catch (RuntimeException e) {
            // nothing more to do
        }
    }

    private static final class ContainerInstance implements Instance {
        private final GenericContainer<?> container;
        private final Endpoint endpoint;
        private final String id;
        private final CompletableFuture<String> exited = new CompletableFuture<>();
        private final Closeable waiter;
        private volatile boolean stopping;

        ContainerInstance(GenericContainer<?> container, Endpoint endpoint, LogBuffer logs) {
            this.container = container;
            this.endpoint = endpoint;
            this.id = container.getContainerId();
            DockerClient client = container.getDockerClient();
            this.waiter = client.waitContainerCmd(id).exec(new ResultCallback.Adapter<WaitResponse>() {
                @Override
                public void onNext(WaitResponse r) {
                    String reason = "container " + shortId() + " exited with code " + r.getStatusCode();
                    logs.append("mqtt-harness: " + (stopping ? "stopped: " : "") + reason);
                    exited.complete(reason);
                }

                @Override
                public void onError(Throwable t) {
                    if (!stopping) {
                        exited.complete("lost contact with container " + shortId() + ": " + t.getMessage());
                    }
                }
            });
        }

        private String shortId() {
            return id.length() > 12 ? id.substring(0, 12) : id;
        }

        @Override
        public Endpoint endpoint() {
            return endpoint;
        }

        @Override
        public CompletableFuture<String> exited() {
            return exited;
        }

        @Override
        public boolean running() {
            if (exited.isDone()) {
                return false;
            }
            try {
                return container.isRunning();
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public String describe() {
            return "container " + shortId();
        }

        @Override
        public void stop() {
            stopping = true;
            stopQuietly(container);
            try {
                waiter.close();
            } catch (Exception e) {
                // the wait request ends with the container anyway
            }
            exited.complete("stopped");
        }
    }
}
