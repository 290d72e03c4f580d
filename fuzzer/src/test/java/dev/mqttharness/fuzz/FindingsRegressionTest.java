package dev.mqttharness.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The saved findings of the repository ({@code findings/TARGET/*.json}) as regression tests:
 * <ul>
 *   <li>every finding replays against the reference broker and must NOT reproduce there: the
 *       reference broker passes every case a campaign ever flagged (a finding filed against the
 *       reference broker itself is a bug that was fixed);</li>
 *   <li>a finding against another broker replays against that broker when it can be launched
 *       (brokers.yaml) and must still reproduce there, as its {@code expect} says; otherwise the test
 *       is skipped.</li>
 * </ul>
 */
class FindingsRegressionTest {
    private static final Map<String, FuzzTarget> TARGETS = new HashMap<>();
    private static final Map<String, String> UNAVAILABLE = new HashMap<>();

    static Path findingsDir() {
        String root = System.getProperty("mqttharness.root");
        Path base = root != null ? Path.of(root) : Path.of("").toAbsolutePath();
        for (Path p = base.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("brokers.yaml"))) {
                return p.resolve("findings");
            }
        }
        return base.resolve("findings");
    }

    static List<Path> files() throws IOException {
        Path dir = findingsDir();
        List<Path> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.filter(p -> p.toString().endsWith(".json") && !p.toString().contains("/tmp/")).sorted().forEach(out::add);
            }
        }
        return out;
    }

    static synchronized FuzzTarget target(String name) {
        if (UNAVAILABLE.containsKey(name)) {
            return null;
        }
        FuzzTarget t = TARGETS.get(name);
        if (t == null) {
            try {
                t = FuzzTarget.resolve(name);
                TARGETS.put(name, t);
            } catch (RuntimeException e) {
                UNAVAILABLE.put(name, e.getMessage());
                return null;
            }
        }
        return t;
    }

    @TestFactory
    Stream<DynamicTest> the_reference_broker_passes_every_saved_finding() throws IOException {
        return files().stream().map(f -> DynamicTest.dynamicTest(findingsDir().relativize(f).toString(), () -> {
            FindingRecord rec = FindingRecord.read(f);
            FuzzTarget ref = target("reference");
            ReplayResult r = Campaign.replay(rec, ref.endpoint(), dev.mqttharness.fuzz.exec.CaseRunner.Settings.defaults());
            assertThat(r.reproduced()).as("%s reproduces against the reference broker:%n%s", rec.id(),
                    String.join("\n", r.summary())).isFalse();
        }));
    }

    @TestFactory
    Stream<DynamicTest> findings_against_other_brokers_still_reproduce_there() throws IOException {
        return files().stream().map(f -> DynamicTest.dynamicTest(findingsDir().relativize(f).toString(), () -> {
            FindingRecord rec = FindingRecord.read(f);
            Assumptions.assumeFalse(rec.target().equals("reference"), "a reference finding is checked above");
            Assumptions.assumeTrue("reproduces".equals(rec.expect()), "expect: " + rec.expect());
            FuzzTarget t = target(rec.target());
            Assumptions.assumeTrue(t != null, () -> rec.target() + " is not available: " + UNAVAILABLE.get(rec.target()));
            boolean reproduced = false;
            ReplayResult last = null;
            for (int i = 0; i < 3 && !reproduced; i++) {
                last = Campaign.replay(rec, t.endpoint(), dev.mqttharness.fuzz.exec.CaseRunner.Settings.defaults());
                reproduced = last.reproduced();
            }
            assertThat(reproduced).as("%s no longer reproduces against %s:%n%s", rec.id(), rec.target(),
                    String.join("\n", last.summary())).isTrue();
        }));
    }

    @AfterAll
    static void stopTargets() {
        TARGETS.values().forEach(FuzzTarget::close);
        TARGETS.clear();
    }
}
