package dev.mqttharness.cli;

import dev.mqttharness.broker.ReferenceBrokerMain;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code broker}: the reference broker standalone, until Ctrl-C (options are ReferenceBrokerMain's). */
@Command(name = "broker", description = {"Runs the reference broker standalone until Ctrl-C.",
        "Options: --port N [--host H] [--tls-port N --cert FILE --key FILE [--client-ca FILE]] [--ws-port N [--ws-path P]]",
        "         [--user NAME:PASSWORD ...] [--no-anonymous] [--max-qos Q] [--config FILE] [--fault ID ...] [--list-faults]",
        "A fault makes the broker break a statement on purpose (see --list-faults), to watch the suite catch it."})
final class BrokerCommand implements Callable<Integer> {
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        // exits 2 on a bad option, 3 when a port cannot be bound; otherwise runs until interrupted
        ReferenceBrokerMain.main(args.toArray(new String[0]));
        return MqttHarness.OK;
    }
}
