package dev.mqttharness.targets.internal;

import dev.mqttharness.targets.TargetStartException;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Maven project behind a jvm target ({@code project:}): its class path is {@code target/classes}
 * plus the jars listed in {@code target/classpath.txt}. The project is built with
 * {@code mvn -B -q package} when that file is missing or older than the project's sources; a file
 * lock keeps concurrent harness runs from building it twice at once.
 */
public final class LauncherProject {
    static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);

    private LauncherProject() {
    }

    /** The class path, building the project first if needed. */
    public static List<Path> classpath(Path project, LogBuffer logs, String target) throws IOException {
        Path cpFile = project.resolve("target").resolve("classpath.txt");
        synchronized (LauncherProject.class) {
            if (stale(project, cpFile)) {
                Files.createDirectories(project.resolve("target"));
                try (RandomAccessFile raf = new RandomAccessFile(project.resolve("target").resolve(".build.lock").toFile(), "rw");
                     FileChannel ch = raf.getChannel();
                     FileLock lock = ch.lock()) {
                    if (stale(project, cpFile)) {
                        build(project, logs, target);
                    }
                }
            }
        }
        List<Path> cp = new ArrayList<>();
        cp.add(project.resolve("target").resolve("classes"));
        String text = Files.readString(cpFile, StandardCharsets.UTF_8).trim();
        if (!text.isEmpty()) {
            for (String e : text.split(File.pathSeparator)) {
                cp.add(Path.of(e));
            }
        }
        return cp;
    }

    static boolean stale(Path project, Path cpFile) throws IOException {
        if (!Files.isRegularFile(cpFile)) {
            return true;
        }
        FileTime built = Files.getLastModifiedTime(cpFile);
        List<Path> inputs = new ArrayList<>();
        inputs.add(project.resolve("pom.xml"));
        Path parentPom = project.getParent() == null ? null : project.getParent().resolve("pom.xml");
        if (parentPom != null && Files.isRegularFile(parentPom)) {
            inputs.add(parentPom);
        }
        List<Path> sources = new ArrayList<>(List.of(project.resolve("src")));
        if (project.getParent() != null) {
            sources.add(project.getParent().resolve("common").resolve("src")); // compiled into every launcher
        }
        for (Path src : sources) {
            if (Files.isDirectory(src)) {
                try (Stream<Path> s = Files.walk(src)) {
                    s.filter(Files::isRegularFile).forEach(inputs::add);
                }
            }
        }
        for (Path p : inputs) {
            if (Files.getLastModifiedTime(p).compareTo(built) > 0) {
                return true;
            }
        }
        // a jar removed from the local repository also calls for a rebuild
        for (String e : Files.readString(cpFile, StandardCharsets.UTF_8).trim().split(File.pathSeparator)) {
            if (!e.isEmpty() && !Files.exists(Path.of(e))) {
                return true;
            }
        }
        return false;
    }

    private static void build(Path project, LogBuffer logs, String target) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(maven(project, target));
        cmd.add("-B");
        cmd.add("-q");
        cmd.add("-Dstyle.color=never");
        String repo = System.getProperty("maven.repo.local");
        if (repo != null && !repo.isBlank()) {
            cmd.add("-Dmaven.repo.local=" + repo);
        }
        cmd.add("-f");
        cmd.add(project.resolve("pom.xml").toString());
        cmd.add("package");
        logs.append("mqtt-harness: building the launcher of '" + target + "': " + String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        LogBuffer out = new LogBuffer(400);
        Thread pump = out.pump(p.getInputStream(), "mvn-" + target);
        boolean done;
        try {
            done = p.waitFor(BUILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            pump.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ProcessTrees.kill(p.toHandle(), Duration.ofSeconds(5));
            throw new IOException("interrupted while building " + project, e);
        }
        out.last(400).forEach(logs::append);
        if (!done) {
            ProcessTrees.kill(p.toHandle(), Duration.ofSeconds(5));
            throw new TargetStartException("target '" + target + "': building its launcher (" + String.join(" ", cmd)
                    + ") took more than " + BUILD_TIMEOUT.toMinutes() + " minutes", out.last(30));
        }
        if (p.exitValue() != 0) {
            throw new TargetStartException("target '" + target + "': building its launcher failed (exit "
                    + p.exitValue() + "): " + String.join(" ", cmd), out.last(30));
        }
        // the dependency plugin leaves classpath.txt alone when its content is unchanged: mark the build
        Path cpFile = project.resolve("target").resolve("classpath.txt");
        if (!Files.isRegularFile(cpFile)) {
            throw new TargetStartException("target '" + target + "': building its launcher wrote no " + cpFile
                    + " (the project must run maven-dependency-plugin build-classpath, see targets/jvm-brokers/pom.xml)",
                    out.last(30));
        }
        Files.setLastModifiedTime(cpFile, FileTime.fromMillis(System.currentTimeMillis()));
    }

    private static String maven(Path project, String target) {
        String env = System.getenv("MVN");
        if (env != null && !env.isBlank()) {
            return env;
        }
        String home = System.getProperty("maven.home");
        if (home != null && Files.isExecutable(Path.of(home, "bin", "mvn"))) {
            return Path.of(home, "bin", "mvn").toString();
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (Files.isExecutable(Path.of(dir, "mvn"))) {
                    return Path.of(dir, "mvn").toString();
                }
            }
        }
        throw new TargetStartException("target '" + target + "': Maven (mvn) is needed to build its launcher " + project
                + ", but it is not on PATH; set MVN, or build it once with mvn -f " + project.resolve("pom.xml")
                + " package, or give 'classpath:' in brokers.yaml", List.of());
    }
}
