package dev.mqttharness.targets;

import dev.mqttharness.targets.internal.ContainerStarter;
import dev.mqttharness.targets.internal.DockerSupport;
import dev.mqttharness.targets.internal.EmbeddedStarter;
import dev.mqttharness.targets.internal.ExternalStarter;
import dev.mqttharness.targets.internal.JvmStarter;
import dev.mqttharness.targets.internal.ManagedTarget;
import dev.mqttharness.targets.internal.ProcessStarter;
import dev.mqttharness.targets.internal.Starter;
import dev.mqttharness.targets.internal.Teardown;
import java.util.Optional;
import java.util.function.Function;

/**
 * Starts targets. Every kind is started the same way and passes the same readiness probe (an MQTT
 * CONNECT answered by CONNACK, with the first of the target's versions) before this returns.
 *
 * <pre>{@code
 * TargetSpec spec = BrokersFile.loadDefault().target("mosquitto");
 * try (RunningTarget broker = Targets.launch(spec)) {
 *     broker.onCrash(e -> report(e));
 *     Endpoint ep = broker.endpoint();
 * }
 * }</pre>
 */
public final class Targets {
    private Targets() {
    }

    /** Starts (or reaches) the target and waits until it is ready; {@code ${VAR}} comes from the environment. */
    public static RunningTarget launch(TargetSpec spec) {
        return launch(spec, System::getenv);
    }

    /**
     * As {@link #launch(TargetSpec)}, with {@code ${VAR}} references looked up in {@code env}.
     *
     * @throws TargetStartException       if it cannot be started or is not ready within its
     *                                    {@code ready-timeout} (with its last log lines); nothing
     *                                    is left running
     * @throws DockerUnavailableException for a container target on a machine without Docker
     */
    public static RunningTarget launch(TargetSpec spec, Function<String, String> env) {
        return ManagedTarget.launch(spec, starter(spec.launch()), env);
    }

    /** Empty if container targets can run here; otherwise why not ("Docker is not available: ..."). */
    public static Optional<String> dockerUnavailableReason() {
        return DockerSupport.unavailableReason();
    }

    /** Stops every target still running in this JVM (the shutdown hook does the same at exit). */
    public static void closeAll() {
        Teardown.closeAll();
    }

    private static Starter starter(Launch launch) {
        if (launch instanceof Launch.Embedded) {
            return new EmbeddedStarter();
        }
        if (launch instanceof Launch.Process) {
            return new ProcessStarter();
        }
        if (launch instanceof Launch.Jvm) {
            return new JvmStarter();
        }
        if (launch instanceof Launch.Container) {
            return new ContainerStarter();
        }
        if (launch instanceof Launch.External) {
            return new ExternalStarter();
        }
        throw new IllegalArgumentException("unknown launch kind " + launch);
    }
}
