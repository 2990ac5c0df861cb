package io.rtc4j.server.peer;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code rtc4j peer}: the interop contract that pairs rtc4j with any other WebRTC implementation (issue 5). */
@Command(
        name = "peer",
        mixinStandardHelpOptions = true,
        description = "Data-channel interop peer: 'answer' serves POST /offer, 'offer' runs echo or bulk against one.",
        subcommands = {PeerAnswerCommand.class, PeerOfferCommand.class, PeerTrainCommand.class, CommandLine.HelpCommand.class})
public final class PeerCommand implements Runnable {
    static final String VERSION = "0.1.0";

    /**
     * The contract promises one RESULT line and exit 1 on any failure of {@code peer offer}, so a bad command
     * line (an option this version lacks, a bad value) is one too, after picocli's usage message on stderr.
     */
    public static void configure(CommandLine top) {
        CommandLine offer = top.getSubcommands().get("peer").getSubcommands().get("offer");
        CommandLine.IParameterExceptionHandler usual = top.getParameterExceptionHandler(); // picocli asks the top one
        top.setParameterExceptionHandler((e, args) -> {
            if (e.getCommandLine() != offer) {
                return usual.handleParseException(e, args);
            }
            e.getCommandLine().getErr().println(e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, e.getCommandLine().getErr());
            PeerOfferCommand.PeerResult r = new PeerOfferCommand.PeerResult(modeArgument(args));
            r.fail("bad command line: " + e.getMessage());
            return r.print();
        });
    }

    private static String modeArgument(String[] args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].startsWith("--mode=")) {
                return args[i].substring(7);
            }
            if (args[i].equals("--mode") && i + 1 < args.length) {
                return args[i + 1];
            }
        }
        return "unknown";
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
