package dev.mqttharness.broker.core;

import dev.mqttharness.auth.Scram;

/** An enhanced authentication exchange in progress on one connection (§4.12). */
interface AuthExchange {
    /** Feeds the client's Authentication Data (from CONNECT or AUTH); says what to answer. */
    Scram.Step step(byte[] clientData);
}
