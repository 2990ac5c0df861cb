package io.rtc4j.server.turn;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads coturn's turnserver.conf format: one option per line, {@code name=value}, {@code name value} or a
 * bare {@code name} for flags, {@code #} comments. Each line becomes the command-line argument of the same
 * name, so the file and the flags share one parser; a name rtc4j does not know is reported and skipped.
 */
public final class CoturnConfigFile {
    private CoturnConfigFile() {}

    /**
     * @param known long option names rtc4j accepts, without dashes
     * @param warn receives one message per skipped line
     */
    public static List<String> toArguments(Path file, Set<String> known, Consumer<String> warn) throws IOException {
        return toArguments(Files.readAllLines(file), file.toString(), known, warn);
    }

    static List<String> toArguments(List<String> lines, String source, Set<String> known, Consumer<String> warn) {
        List<String> args = new ArrayList<>();
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            while (line.startsWith("-")) {
                line = line.substring(1); // coturn tolerates "--name" in the file too
            }
            int eq = line.indexOf('=');
            int ws = indexOfWhitespace(line);
            int cut = eq >= 0 && (ws < 0 || eq < ws) ? eq : ws;
            String name = (cut < 0 ? line : line.substring(0, cut)).strip();
            String value = cut < 0 ? null : unquote(line.substring(cut + 1).strip());
            if (!known.contains(name)) {
                warn.accept(source + ":" + number + ": '" + name + "' is not supported by rtc4j and is ignored");
                continue;
            }
            args.add(value == null || value.isEmpty() ? "--" + name : "--" + name + "=" + value);
        }
        return args;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}
