package dev.mqttharness.targets;

import dev.mqttharness.targets.internal.Placeholders;
import java.util.function.Function;

/**
 * The user name and password a target expects, as written in brokers.yaml: the password is always
 * an environment reference ({@code ${MQTT_PASSWORD}}), never the secret itself; the user name may be
 * either. {@link #resolve} expands the references.
 */
public record Credentials(String username, String password) {

    /** The values with {@code ${VAR}} expanded from {@code env}; a variable that is not set is an error. */
    public Credentials resolve(Function<String, String> env, String where) {
        return new Credentials(
                username == null ? null : Placeholders.expandEnv(username, env, where + " username"),
                password == null ? null : Placeholders.expandEnv(password, env, where + " password"));
    }

    @Override
    public String toString() {
        // never print a password, even a reference, next to a resolved user name
        return "Credentials[username=" + username + ", password=" + (password == null ? "none" : "(set)") + "]";
    }
}
