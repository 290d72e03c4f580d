package dev.mqttharness.targets;

import java.nio.file.Path;

/**
 * brokers.yaml is not acceptable. The message reads {@code file:line:column: field: problem}.
 */
public final class BrokersFileException extends TargetException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final int line;
    private final int column;
    private final String field;
    private final String problem;

    public BrokersFileException(Path file, int line, int column, String field, String problem) {
        super(format(file, line, column, field, problem));
        this.file = file;
        this.line = line;
        this.column = column;
        this.field = field;
        this.problem = problem;
    }

    private static String format(Path file, int line, int column, String field, String problem) {
        StringBuilder b = new StringBuilder(String.valueOf(file));
        if (line > 0) {
            b.append(':').append(line);
            if (column > 0) {
                b.append(':').append(column);
            }
        }
        b.append(": ");
        if (field != null && !field.isEmpty()) {
            b.append(field).append(": ");
        }
        return b.append(problem).toString();
    }

    public Path file() {
        return file;
    }

    /** 1-based line, or 0 if unknown. */
    public int line() {
        return line;
    }

    /** 1-based column, or 0 if unknown. */
    public int column() {
        return column;
    }

    /** The dotted path of the field, e.g. {@code brokers.mosquitto.command}, or null. */
    public String field() {
        return field;
    }

    public String problem() {
        return problem;
    }
}
