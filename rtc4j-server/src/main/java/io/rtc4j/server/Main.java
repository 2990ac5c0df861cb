package io.rtc4j.server;

import io.rtc4j.server.signaling.ServerCommand;
import io.rtc4j.server.signaling.TokenCommand;
import io.rtc4j.server.peer.PeerCommand;
import io.rtc4j.server.turn.TurnCommand;
import io.rtc4j.server.turn.TurnCredentialsCommand;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The rtc4j binary: one picocli command per job. */
@Command(
        name = "rtc4j",
        mixinStandardHelpOptions = true,
        version = "rtc4j 0.1.0",
        description = "Pure-Java WebRTC platform: the all-in-one server (web app, signaling, STUN/TURN), a data-channel interop peer and more.",
        subcommands = {ServerCommand.class, TokenCommand.class, TurnCommand.class, TurnCredentialsCommand.class, PeerCommand.class,
            CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        configureLogging(Arrays.asList(args).contains("-v") || Arrays.asList(args).contains("--verbose"));
        CommandLine cmd = new CommandLine(new Main());
        cmd.getSubcommands().get("turn").setUnmatchedArgumentsAllowed(true);
        PeerCommand.configure(cmd);
        System.exit(cmd.execute(args));
    }

    /**
     * slf4j-simple as structured one-line logs: time, level, logger, then key=value pairs. A setting given
     * with -D (e.g. -Dorg.slf4j.simpleLogger.defaultLogLevel=warn) wins over these defaults.
     */
    private static void configureLogging(boolean verbose) {
        defaultProperty("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "debug" : "info");
        defaultProperty("org.slf4j.simpleLogger.showDateTime", "true");
        defaultProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        defaultProperty("org.slf4j.simpleLogger.showThreadName", "false");
        defaultProperty("org.slf4j.simpleLogger.showShortLogName", "true");
        defaultProperty("org.slf4j.simpleLogger.levelInBrackets", "false");
        defaultProperty("org.slf4j.simpleLogger.logFile", "System.out");
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
