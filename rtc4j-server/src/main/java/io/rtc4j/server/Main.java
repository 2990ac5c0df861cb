package io.rtc4j.server;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The rtc4j binary: one picocli command per job. */
@Command(
        name = "rtc4j",
        mixinStandardHelpOptions = true,
        version = "rtc4j 0.1.0",
        description = "Pure-Java WebRTC platform: STUN/TURN server and more.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }
}
