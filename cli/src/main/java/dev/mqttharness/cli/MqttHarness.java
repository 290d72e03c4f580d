package dev.mqttharness.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mqtt-harness} command. Exit codes (docs/cli.md): 0 no FAIL (no regression against the
 * baseline), 1 FAIL or regression, 2 bad usage or configuration, 3 the environment failed (a target
 * could not be launched or reached), 130 interrupted (Ctrl-C; a partial report is written).
 */
@Command(name = "mqtt-harness", mixinStandardHelpOptions = true, version = "mqtt-harness 0.1.0",
        description = "Conformance and fuzz testing of MQTT 3.1.1 and 5.0 brokers.",
        subcommands = {CertifyCommand.class, FuzzCommand.class, ReplayCommand.class, ReportCommand.class,
                StatementsCommand.class, BrokerCommand.class, SelfCheckCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 passed, 1 failed (FAIL or regression), 2 bad usage, 3 environment failed, "
                + "130 interrupted.", "See docs/cli.md."})
public final class MqttHarness implements Runnable {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    public static final int ENVIRONMENT = 3;
    public static final int INTERRUPTED = 130;

    /**
     * JUnit warns (through java.util.logging) that the suite's run resource is not AutoCloseable; that is
     * for the suite's developers, not for someone certifying a broker. Held here so the setting sticks.
     */
    private static final java.util.logging.Logger JUNIT_CONTEXT_LOG =
            java.util.logging.Logger.getLogger("org.junit.jupiter.engine.descriptor.AbstractExtensionContext");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        // libraries log through SLF4J: warnings only, on stderr, so the progress display stays readable
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        JUNIT_CONTEXT_LOG.setLevel(java.util.logging.Level.SEVERE);
        int code = run(args);
        System.out.flush();
        System.err.flush();
        System.exit(code);
    }

    /** Runs a command line and returns its exit code (never calls System.exit, except the broker command). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MqttHarness());
        cl.setParameterExceptionHandler(MqttHarness::badUsage);
        cl.setExecutionExceptionHandler((ex, line, parsed) -> {
            if (ex instanceof UsageException) {
                line.getErr().println(prefix(line) + ex.getMessage());
                return USAGE;
            }
            line.getErr().println(prefix(line) + "internal error: " + ex);
            ex.printStackTrace(line.getErr());
            return ENVIRONMENT;
        });
        cl.setExitCodeExceptionMapper(ex -> ex instanceof UsageException ? USAGE : ENVIRONMENT);
        return cl;
    }

    /** A bad flag or value: one line saying what is wrong and where to look, exit 2. */
    private static int badUsage(CommandLine.ParameterException ex, String[] args) {
        CommandLine line = ex.getCommandLine();
        PrintWriter err = line.getErr();
        String msg = ex.getMessage();
        int nl = msg.indexOf('\n');
        if (nl > 0) {
            msg = msg.substring(0, nl);
        }
        err.println(prefix(line) + msg + " (see: " + line.getCommandSpec().qualifiedName() + " --help)");
        return USAGE;
    }

    private static String prefix(CommandLine line) {
        return line.getCommandSpec().qualifiedName() + ": ";
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "a command is needed: certify, fuzz, replay, report, statements, broker or selfcheck");
    }
}
