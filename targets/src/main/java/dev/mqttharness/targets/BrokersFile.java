package dev.mqttharness.targets;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mqttharness.spec.MqttVersion;
import dev.mqttharness.targets.internal.Placeholders;
import dev.mqttharness.targets.internal.RawBrokersFile;
import dev.mqttharness.targets.internal.YamlLocations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * brokers.yaml, loaded and validated: the targets by name and the {@code default:} list certified
 * when no name is given.
 *
 * <pre>{@code
 * BrokersFile file = BrokersFile.load(Path.of("brokers.yaml"));
 * for (TargetSpec spec : file.select(List.of())) {          // the default list
 *     try (RunningTarget t = Targets.launch(spec)) { ... t.endpoint() ... }
 * }
 * }</pre>
 *
 * <p>Every problem is reported as one {@link BrokersFileException} naming file, line, column and
 * field. See docs/targets.md for the schema.
 */
public final class BrokersFile {
    /** System property that names the brokers.yaml to use. */
    public static final String FILE_PROPERTY = "mqttharness.brokers";
    /** Environment variable that names the brokers.yaml to use. */
    public static final String FILE_ENV = "MQTT_HARNESS_BROKERS";

    static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(30);
    static final Duration DEFAULT_JVM_READY_TIMEOUT = Duration.ofSeconds(60);

    private static final List<MqttVersion> DEFAULT_VERSIONS = List.of(MqttVersion.V3_1_1, MqttVersion.V5);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final Path file;
    private final Map<String, TargetSpec> targets;
    private final List<String> defaults;

    private BrokersFile(Path file, Map<String, TargetSpec> targets, List<String> defaults) {
        this.file = file;
        this.targets = targets;
        this.defaults = defaults;
    }

    /** Reads and validates a brokers.yaml; relative paths in it are relative to its folder. */
    public static BrokersFile load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BrokersFileException(file, 0, 0, null, "cannot read: " + e);
        }
        return parse(text, file);
    }

    /**
     * The brokers.yaml named by the system property {@value #FILE_PROPERTY} or the environment
     * variable {@value #FILE_ENV}, else the nearest brokers.yaml in the working directory or above.
     */
    public static BrokersFile loadDefault() {
        String named = System.getProperty(FILE_PROPERTY, System.getenv(FILE_ENV));
        if (named != null && !named.isBlank()) {
            return load(Path.of(named));
        }
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path f = d.resolve("brokers.yaml");
            if (Files.isRegularFile(f)) {
                return load(f);
            }
        }
        throw new TargetException("no brokers.yaml in " + dir + " or above; name one with -D" + FILE_PROPERTY
                + "=PATH or " + FILE_ENV + "=PATH");
    }

    /** Parses brokers.yaml text; {@code file} names it in messages and anchors relative paths. */
    public static BrokersFile parse(String yaml, Path file) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        if (yaml.isBlank()) {
            throw new BrokersFileException(file, 1, 1, null, "empty file: no brokers defined (see docs/targets.md)");
        }
        RawBrokersFile raw;
        try {
            raw = mapper.readValue(yaml, RawBrokersFile.class);
        } catch (JsonProcessingException e) {
            throw translate(file, e, yaml);
        }
        return new Validator(file, YamlLocations.of(yaml)).validate(raw);
    }

    /** The file this was read from. */
    public Path file() {
        return file;
    }

    /** All broker names, in file order. */
    public List<String> names() {
        return List.copyOf(targets.keySet());
    }

    /** The {@code default:} list. */
    public List<String> defaults() {
        return defaults;
    }

    /** All targets, in file order. */
    public List<TargetSpec> targets() {
        return List.copyOf(targets.values());
    }

    /** The target called {@code name}; an unknown name is an error listing the known ones. */
    public TargetSpec target(String name) {
        TargetSpec t = targets.get(name);
        if (t == null) {
            throw new UnknownTargetException(name, names(), String.valueOf(file));
        }
        return t;
    }

    /**
     * The targets to certify: those named, in the order given, or the {@code default:} list if
     * {@code names} is empty. "all" selects every target.
     */
    public List<TargetSpec> select(Collection<String> names) {
        List<String> chosen = new ArrayList<>(names);
        if (chosen.isEmpty()) {
            if (defaults.isEmpty()) {
                throw new TargetException(file + " has no 'default:' list; name the brokers to run (known: "
                        + String.join(", ", names()) + ")");
            }
            chosen = defaults;
        } else if (chosen.size() == 1 && chosen.get(0).equals("all")) {
            chosen = names();
        }
        Set<String> seen = new LinkedHashSet<>();
        List<TargetSpec> out = new ArrayList<>();
        for (String n : chosen) {
            if (seen.add(n)) {
                out.add(target(n));
            }
        }
        return out;
    }

    // --- errors from Jackson ------------------------------------------------------------------

    private static BrokersFileException translate(Path file, JsonProcessingException e, String yaml) {
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 0 : loc.getLineNr();
        int col = loc == null ? 0 : loc.getColumnNr();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof StreamReadException syntax) {
                // a YAML syntax error: keep the parser's own words, without its excerpt of the file
                JsonLocation l = syntax.getLocation() == null ? loc : syntax.getLocation();
                return new BrokersFileException(file, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(),
                        null, "not valid YAML: " + yamlProblem(syntax.getOriginalMessage()));
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            // Jackson points after the offending value; the key's own line reads better
            JsonLocation key = YamlLocations.of(yaml).find(path(m.getPath()));
            if (key != null && key.getLineNr() > 0) {
                line = key.getLineNr();
                col = key.getColumnNr();
            }
        }
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = path(u.getPath().subList(0, u.getPath().size() - 1));
            String name = u.getPropertyName();
            Collection<Object> known = u.getKnownPropertyIds() == null ? List.of() : u.getKnownPropertyIds();
            List<String> knownNames = known.stream().map(String::valueOf).sorted().collect(Collectors.toList());
            String hint = closest(name, knownNames);
            return new BrokersFileException(file, line, col, parent.isEmpty() ? name : parent + "." + name,
                    "unknown setting '" + name + "'" + (hint == null ? "" : " (did you mean '" + hint + "'?)")
                            + "; known here: " + String.join(", ", knownNames));
        }
        if (e instanceof MismatchedInputException m) {
            String field = path(m.getPath());
            String expected = describe(m.getTargetType());
            String problem = expected == null ? firstLine(m.getOriginalMessage()) : "expected " + expected;
            return new BrokersFileException(file, line, col, field, problem);
        }
        if (e instanceof JsonMappingException m) {
            return new BrokersFileException(file, line, col, path(m.getPath()), firstLine(m.getOriginalMessage()));
        }
        return new BrokersFileException(file, line, col, null, "not valid YAML: " + yamlProblem(e.getOriginalMessage()));
    }

    /** SnakeYAML's message without the "in 'reader', line..." lines and the excerpt of the file. */
    private static String yamlProblem(String message) {
        if (message == null) {
            return "syntax error";
        }
        List<String> parts = new ArrayList<>();
        for (String l : message.split("\\R")) {
            if (l.isBlank() || Character.isWhitespace(l.charAt(0)) || l.contains("in 'reader'") || l.contains("in 'string'")) {
                continue;
            }
            parts.add(l.strip());
        }
        return parts.isEmpty() ? firstLine(message) : String.join("; ", parts);
    }

    private static String path(List<JsonMappingException.Reference> refs) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : refs) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.toString();
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return null;
        }
        if (List.class.isAssignableFrom(type) || Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a map of settings";
        }
        if (type == Integer.class || type == int.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a single value (text or number)";
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        String l = s.strip();
        int nl = l.indexOf('\n');
        return nl < 0 ? l : l.substring(0, nl).strip();
    }

    static String closest(String name, Collection<String> candidates) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(name.toLowerCase(Locale.ROOT), c.toLowerCase(Locale.ROOT));
            if (d < bestD) {
                bestD = d;
                best = c;
            }
        }
        return bestD <= Math.max(2, name.length() / 3) ? best : null;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    // --- validation -----------------------------------------------------------------------------

    private static final class Validator {
        private final Path file;
        private final Path base;
        private final YamlLocations where;

        Validator(Path file, YamlLocations where) {
            this.file = file;
            Path abs = file.toAbsolutePath().getParent();
            this.base = abs == null ? Path.of("").toAbsolutePath() : abs;
            this.where = where;
        }

        BrokersFileException error(String field, String problem) {
            JsonLocation l = where.find(field);
            return new BrokersFileException(file, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(),
                    field, problem);
        }

        BrokersFile validate(RawBrokersFile raw) {
            if (raw == null || raw.brokers() == null || raw.brokers().isEmpty()) {
                throw error("brokers", "no brokers defined: add a 'brokers:' map (see docs/targets.md)");
            }
            Map<String, TargetSpec> targets = new LinkedHashMap<>();
            for (Map.Entry<String, RawBrokersFile.Broker> e : raw.brokers().entrySet()) {
                String name = e.getKey();
                String at = "brokers." + name;
                if (!NAME.matcher(name).matches()) {
                    throw error(at, "a broker name is letters, digits, '.', '_' or '-', starting with a letter or digit");
                }
                if (e.getValue() == null) {
                    throw error(at, "no settings: give at least 'launch:'");
                }
                targets.put(name, broker(name, at, e.getValue()));
            }
            List<String> defaults = raw.defaults() == null ? List.of() : List.copyOf(raw.defaults());
            for (int i = 0; i < defaults.size(); i++) {
                String d = defaults.get(i);
                if (d == null || !targets.containsKey(d)) {
                    throw error("default[" + i + "]", "unknown broker '" + d + "' (known: "
                            + String.join(", ", targets.keySet()) + ")");
                }
            }
            return new BrokersFile(file, targets, defaults);
        }

        private TargetSpec broker(String name, String at, RawBrokersFile.Broker b) {
            String kind = b.launch();
            if (kind == null) {
                throw error(at, "'launch:' is missing (one of " + kinds() + ")");
            }
            if (!RawBrokersFile.KIND_SETTINGS.containsKey(kind)) {
                String hint = closest(kind, RawBrokersFile.KIND_SETTINGS.keySet());
                throw error(at + ".launch", "unknown launch kind '" + kind + "'"
                        + (hint == null ? "" : " (did you mean '" + hint + "'?)") + "; use one of " + kinds());
            }
            checkOnlyKindSettings(at, kind, b);

            Launch launch = switch (kind) {
                case "embedded" -> new Launch.Embedded(b.args());
                case "process" -> new Launch.Process(requireList(at + ".command", b.command(), "the program and its arguments"),
                        b.config(), b.files(), b.env());
                case "jvm" -> jvm(at, b);
                case "container" -> container(at, b);
                case "external" -> external(at, b);
                default -> throw new IllegalStateException(kind);
            };

            List<MqttVersion> versions = DEFAULT_VERSIONS;
            if (b.versions() != null) {
                if (b.versions().isEmpty()) {
                    throw error(at + ".versions", "empty: list at least one of 3.1.1, 5.0");
                }
                versions = new ArrayList<>();
                for (int i = 0; i < b.versions().size(); i++) {
                    String v = b.versions().get(i);
                    try {
                        MqttVersion mv = MqttVersion.parse(String.valueOf(v));
                        if (!versions.contains(mv)) {
                            versions.add(mv);
                        }
                    } catch (IllegalArgumentException ex) {
                        throw error(at + ".versions[" + i + "]", ex.getMessage());
                    }
                }
            }

            Set<Capability> lacks = EnumSet.noneOf(Capability.class);
            if (b.lacks() != null) {
                for (int i = 0; i < b.lacks().size(); i++) {
                    try {
                        lacks.add(Capability.fromYaml(String.valueOf(b.lacks().get(i))));
                    } catch (IllegalArgumentException ex) {
                        throw error(at + ".lacks[" + i + "]", ex.getMessage());
                    }
                }
            }

            Credentials credentials = null;
            if (b.username() != null || b.password() != null) {
                if (b.password() != null && !Placeholders.isEnvReference(b.password())) {
                    throw error(at + ".password", "must be an environment reference such as ${MQTT_PASSWORD}, "
                            + "never the password itself");
                }
                credentials = new Credentials(b.username(), b.password());
            }

            TlsSettings tls = null;
            if (b.tls() != null) {
                RawBrokersFile.Tls t = b.tls();
                if ((t.cert() == null) != (t.key() == null)) {
                    throw error(at + ".tls", "'cert' and 'key' go together (a client certificate and its key)");
                }
                tls = new TlsSettings(path(t.ca()), path(t.cert()), path(t.key()));
            }

            WebSocketSettings ws = null;
            if (b.websocket() != null) {
                String p = b.websocket().path() == null ? "/mqtt" : b.websocket().path();
                if (!p.startsWith("/")) {
                    throw error(at + ".websocket.path", "must start with '/'");
                }
                Integer port = b.websocket().port();
                if (kind.equals("external") && port == null) {
                    throw error(at + ".websocket", "'port' is required for an external broker");
                }
                if (!kind.equals("external") && port != null) {
                    throw error(at + ".websocket.port", "a launched broker gets a free port: use {ws-port} in its config");
                }
                checkPort(at + ".websocket.port", port);
                ws = new WebSocketSettings(p, port);
            }

            Duration ready = kind.equals("jvm") ? DEFAULT_JVM_READY_TIMEOUT : DEFAULT_READY_TIMEOUT;
            if (b.readyTimeout() != null) {
                ready = duration(at + ".ready-timeout", b.readyTimeout());
            }
            JsonLocation l = where.find(at);
            String origin = file + (l == null ? "" : ":" + l.getLineNr());
            String denied = b.deniedTopic();
            if (denied != null && (denied.isEmpty() || denied.contains("+") || denied.contains("#"))) {
                throw error(at + ".denied-topic", "must be a topic name (not empty, no wildcards)");
            }
            return new TargetSpec(name, launch, versions, lacks, credentials, tls, ws, path(b.baseline()), ready,
                    b.description(), origin, denied);
        }

        private Launch jvm(String at, RawBrokersFile.Broker b) {
            if (b.main() == null) {
                throw error(at, "'main:' is missing: the main class to run");
            }
            if ((b.project() == null) == (b.classpath() == null)) {
                throw error(at, "give either 'project:' (a Maven project that writes target/classpath.txt) or 'classpath:'");
            }
            if (b.java() != null && b.java().isBlank()) {
                throw error(at + ".java", "empty: a major version such as 21, or a JDK path");
            }
            List<Path> cp = b.classpath() == null ? null
                    : b.classpath().stream().map(this::path).collect(Collectors.toList());
            Path project = path(b.project());
            if (project != null && !Files.isRegularFile(project.resolve("pom.xml"))) {
                throw error(at + ".project", "no pom.xml in " + project);
            }
            return new Launch.Jvm(project, cp, b.main(), b.args(), b.jvmArgs(), b.java(), b.config(), b.files(), b.env());
        }

        private Launch container(String at, RawBrokersFile.Broker b) {
            if (b.image() == null || b.image().isBlank()) {
                throw error(at, "'image:' is missing, e.g. eclipse-mosquitto:2.0");
            }
            String network = b.network() == null ? "bridge" : b.network();
            int containerPort = b.containerPort() == null ? 1883 : b.containerPort();
            checkPort(at + ".container-port", containerPort);
            checkPort(at + ".container-ws-port", b.containerWsPort());
            String configPath = b.configPath() == null ? "/mqtt-harness/broker.conf" : b.configPath();
            if (!configPath.startsWith("/")) {
                throw error(at + ".config-path", "must be an absolute path inside the container");
            }
            return new Launch.Container(b.image(), b.command(), b.config(), configPath, network, containerPort,
                    b.containerWsPort(), b.env());
        }

        private Launch external(String at, RawBrokersFile.Broker b) {
            if (b.host() == null || b.host().isBlank()) {
                throw error(at, "'host:' is missing");
            }
            if (b.port() == null) {
                throw error(at, "'port:' is missing");
            }
            checkPort(at + ".port", b.port());
            return new Launch.External(b.host(), b.port());
        }

        private void checkPort(String field, Integer port) {
            if (port != null && (port < 1 || port > 65_535)) {
                throw error(field, "a port is 1..65535, not " + port);
            }
        }

        private List<String> requireList(String field, List<String> l, String what) {
            if (l == null || l.isEmpty()) {
                throw error(field.substring(0, field.lastIndexOf('.')), "'" + field.substring(field.lastIndexOf('.') + 1)
                        + ":' is missing: " + what);
            }
            for (int i = 0; i < l.size(); i++) {
                if (l.get(i) == null) {
                    throw error(field + "[" + i + "]", "empty entry");
                }
            }
            return l;
        }

        /** Settings that exist but belong to another launch kind are errors too, named as such. */
        private void checkOnlyKindSettings(String at, String kind, RawBrokersFile.Broker b) {
            Map<String, Object> given = new LinkedHashMap<>();
            given.put("command", b.command());
            given.put("config", b.config());
            given.put("files", b.files());
            given.put("env", b.env());
            given.put("project", b.project());
            given.put("classpath", b.classpath());
            given.put("main", b.main());
            given.put("args", b.args());
            given.put("jvm-args", b.jvmArgs());
            given.put("java", b.java());
            given.put("image", b.image());
            given.put("config-path", b.configPath());
            given.put("network", b.network());
            given.put("container-port", b.containerPort());
            given.put("container-ws-port", b.containerWsPort());
            given.put("host", b.host());
            given.put("port", b.port());
            List<String> allowed = RawBrokersFile.KIND_SETTINGS.get(kind);
            for (Map.Entry<String, Object> g : given.entrySet()) {
                if (g.getValue() != null && !allowed.contains(g.getKey())) {
                    String owners = RawBrokersFile.KIND_SETTINGS.entrySet().stream()
                            .filter(k -> k.getValue().contains(g.getKey())).map(Map.Entry::getKey)
                            .sorted(Comparator.naturalOrder()).collect(Collectors.joining(", "));
                    throw error(at + "." + g.getKey(), "not a setting of launch: " + kind + " (it belongs to "
                            + owners + "); " + kind + " takes " + (allowed.isEmpty() ? "no settings of its own"
                            : String.join(", ", allowed)));
                }
            }
        }

        private Path path(String p) {
            if (p == null) {
                return null;
            }
            return base.resolve(p).normalize();
        }

        private Duration duration(String field, String text) {
            Matcher m = Pattern.compile("\\s*(\\d+)\\s*(ms|s|m)?\\s*").matcher(text);
            if (!m.matches()) {
                throw error(field, "expected a duration such as 30s, 500ms or 2m, not '" + text + "'");
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            Duration d = switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofSeconds(n);
            };
            if (d.isZero()) {
                throw error(field, "must be more than zero");
            }
            return d;
        }

        private static String kinds() {
            return "embedded, process, jvm, container, external";
        }
    }
}
