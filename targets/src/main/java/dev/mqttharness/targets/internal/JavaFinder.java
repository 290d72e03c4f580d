package dev.mqttharness.targets.internal;

import dev.mqttharness.targets.TargetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Picks the {@code java} that runs a jvm target: the {@code java:} setting is empty (the JVM that
 * runs the harness), a major version ("21": the lowest installed JDK of at least that version, from
 * JAVA_HOME, JAVA_HOME_&lt;N&gt;*, the harness's own and /usr/lib/jvm/*), or a path to a JDK or to
 * a java executable.
 */
public final class JavaFinder {
    private static final Pattern RELEASE_VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(\\d+)(?:\\.[^\"]*)?\"");

    private JavaFinder() {
    }

    public static Path find(String setting, String target) {
        if (setting == null) {
            return Path.of(System.getProperty("java.home"), "bin", "java");
        }
        String s = setting.trim();
        if (s.matches("\\d+")) {
            int wanted = Integer.parseInt(s);
            List<Jdk> jdks = installed();
            return jdks.stream().filter(j -> j.major >= wanted).min(Comparator.comparingInt(j -> j.major))
                    .map(j -> j.home.resolve("bin").resolve("java"))
                    .orElseThrow(() -> new TargetException("target '" + target + "': java: " + wanted
                            + " asked for, but the newest JDK found is "
                            + jdks.stream().mapToInt(j -> j.major).max().orElse(0) + " (looked in "
                            + candidates() + "); install one or give its path"));
        }
        Path p = Path.of(s);
        Path java = Files.isDirectory(p) ? p.resolve("bin").resolve("java") : p;
        if (!Files.isExecutable(java)) {
            throw new TargetException("target '" + target + "': java: no java executable at " + java);
        }
        return java;
    }

    /** Major version of the JDK at {@code home}, from its release file. */
    public static Optional<Integer> major(Path home) {
        try {
            Matcher m = RELEASE_VERSION.matcher(Files.readString(home.resolve("release"), StandardCharsets.UTF_8));
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    record Jdk(Path home, int major) {
    }

    static List<Jdk> installed() {
        List<Jdk> out = new ArrayList<>();
        Set<Path> seen = new LinkedHashSet<>();
        for (Path home : candidates()) {
            Path real;
            try {
                real = home.toRealPath();
            } catch (IOException e) {
                continue;
            }
            if (seen.add(real) && Files.isExecutable(real.resolve("bin").resolve("java"))) {
                major(real).ifPresent(m -> out.add(new Jdk(real, m)));
            }
        }
        return out;
    }

    private static List<Path> candidates() {
        List<Path> c = new ArrayList<>();
        String jh = System.getenv("JAVA_HOME");
        if (jh != null) {
            c.add(Path.of(jh));
        }
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("JAVA_HOME_")) {
                c.add(Path.of(v));
            }
        });
        c.add(Path.of(System.getProperty("java.home")));
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> s = Files.list(jvms)) {
                s.sorted().forEach(c::add);
            } catch (IOException e) {
                // no more candidates
            }
        }
        return c;
    }
}
