package io.rtc4j.server.peer;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rtc4j peer}: the interop contract that pairs rtc4j with any other WebRTC implementation (issue 5). */
@Command(
        name = "peer",
        mixinStandardHelpOptions = true,
        description = "Data-channel interop peer: 'answer' serves POST /offer, 'offer' runs echo or bulk against one.",
        subcommands = {PeerAnswerCommand.class, PeerOfferCommand.class, CommandLine.HelpCommand.class})
public final class PeerCommand implements Runnable {
    static final String VERSION = "0.1.0";

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
