package dev.mqttharness.targets.internal;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of a YAML document is: dotted path ({@code brokers.mosquitto.command[1]}) to the
 * location of its key (or of the element, in a list), so validation errors can name a line.
 */
public final class YamlLocations {
    private final Map<String, JsonLocation> byPath = new HashMap<>();

    private YamlLocations() {
    }

    public static YamlLocations of(String yaml) {
        YamlLocations l = new YamlLocations();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            if (p.nextToken() != null) {
                l.value(p, "");
            }
        } catch (IOException e) {
            // the document was already parsed once; a second failure leaves the index partial
        }
        return l;
    }

    private void value(JsonParser p, String path) throws IOException {
        JsonToken t = p.currentToken();
        byPath.putIfAbsent(path, p.currentTokenLocation());
        if (t == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                String child = path.isEmpty() ? name : path + "." + name;
                byPath.put(child, p.currentTokenLocation());
                p.nextToken();
                value(p, child);
            }
        } else if (t == JsonToken.START_ARRAY) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                value(p, path + "[" + i++ + "]");
            }
        }
    }

    /** The location of {@code path}, or of its nearest enclosing field, or null. */
    public JsonLocation find(String path) {
        String p = path;
        while (true) {
            JsonLocation l = byPath.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            if (cut <= 0) {
                return byPath.get("");
            }
            p = p.substring(0, cut);
        }
    }
}
