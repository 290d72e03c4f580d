package dev.mqttharness.targets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How a target is started or reached: the {@code launch:} kind of a brokers.yaml entry and the
 * settings of that kind. Text settings may hold the placeholders {@code {port}}, {@code {ws-port}},
 * {@code {host}}, {@code {dir}}, {@code {config}} and {@code {name}}, filled in at each start.
 */
public sealed interface Launch {

    /** The kind as written in brokers.yaml. */
    String kind();

    /**
     * The reference broker, in this JVM, on a free loopback port.
     *
     * @param args options of the standalone reference broker ({@code --max-qos 1}, {@code --no-retain},
     *             {@code --fault ID}, ...; see {@code ReferenceBrokerMain}), plus {@code --generate-user NAME}:
     *             a user with a password made up at each start and presented by the harness
     */
    record Embedded(List<String> args) implements Launch {
        public Embedded {
            args = args == null ? List.of() : List.copyOf(args);
        }

        public Embedded() {
            this(List.of());
        }

        @Override
        public String kind() {
            return "embedded";
        }
    }

    /**
     * Any command, in its own process, given a free port.
     *
     * @param command the program and its arguments (placeholders allowed)
     * @param config  text written to {@code {config}} ({@code {dir}/broker.conf}) before start, or null
     * @param files   more files to write into {@code {dir}}: relative name to text
     * @param env     environment variables to add ({@code ${VAR}} expanded)
     */
    record Process(List<String> command, String config, Map<String, String> files, Map<String, String> env)
            implements Launch {
        public Process {
            command = List.copyOf(command);
            files = Map.copyOf(files == null ? Map.of() : files);
            env = Map.copyOf(env == null ? Map.of() : env);
        }

        @Override
        public String kind() {
            return "process";
        }
    }

    /**
     * A Java broker in a forked JVM: {@code java <jvmArgs> -cp <class path> <main> <args>}.
     *
     * @param project   Maven project that holds the broker's launcher and writes its class path to
     *                  {@code target/classpath.txt} (built on demand), or null if {@code classpath} is given
     * @param classpath explicit class path entries, used instead of {@code project}
     * @param main      main class
     * @param args      program arguments (placeholders allowed)
     * @param jvmArgs   JVM options (placeholders allowed)
     * @param java      which Java runs it: null for the harness's own, a major version ("21": the
     *                  lowest installed JDK at least that new) or a JDK / java path
     * @param config    text written to {@code {config}} before start, or null
     * @param files     more files to write into {@code {dir}}
     * @param env       environment variables to add
     */
    record Jvm(Path project, List<Path> classpath, String main, List<String> args, List<String> jvmArgs, String java,
               String config, Map<String, String> files, Map<String, String> env) implements Launch {
        public Jvm {
            classpath = List.copyOf(classpath == null ? List.of() : classpath);
            args = List.copyOf(args == null ? List.of() : args);
            jvmArgs = List.copyOf(jvmArgs == null ? List.of() : jvmArgs);
            files = Map.copyOf(files == null ? Map.of() : files);
            env = Map.copyOf(env == null ? Map.of() : env);
        }

        @Override
        public String kind() {
            return "jvm";
        }
    }

    /**
     * A container image, run through Testcontainers.
     *
     * @param image          image name, e.g. {@code eclipse-mosquitto:2.0}
     * @param command        command (arguments to the image's entry point), or empty for the image's own
     * @param config         text copied into the container at {@code configPath} before start, or null
     * @param configPath     where {@code config} goes in the container; {@code {config}} names it
     * @param network        {@code host} (the broker binds the free host port {@code {port}}), or a Docker
     *                       network mode such as {@code bridge} (the harness maps {@code containerPort})
     * @param containerPort  the broker's MQTT port inside the container, for non-host networks
     * @param containerWsPort the broker's WebSocket port inside the container, for non-host networks, or null
     * @param env            environment variables for the container
     */
    record Container(String image, List<String> command, String config, String configPath, String network,
                     int containerPort, Integer containerWsPort, Map<String, String> env) implements Launch {
        public Container {
            command = List.copyOf(command == null ? List.of() : command);
            env = Map.copyOf(env == null ? Map.of() : env);
        }

        public boolean hostNetwork() {
            return "host".equals(network);
        }

        @Override
        public String kind() {
            return "container";
        }
    }

    /** A broker that is already running; the harness only connects to it. */
    record External(String host, int port) implements Launch {
        @Override
        public String kind() {
            return "external";
        }
    }
}
