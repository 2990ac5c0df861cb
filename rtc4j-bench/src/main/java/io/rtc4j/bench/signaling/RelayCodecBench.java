package io.rtc4j.bench.signaling;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rtc4j.signaling.ClientMessage;
import io.rtc4j.signaling.PeerId;
import io.rtc4j.signaling.ServerMessage;
import io.rtc4j.signaling.SignalingCodec;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;

/**
 * CPU per relayed message inside the codec alone (this thread's CPU time, after a warm-up): rtc4j's splice path
 * ({@code decode} + {@code encode(Relayed)}) beside the tree path it replaced (Jackson tree decode, then a new tree
 * without {@code target} and with {@code from}, re-encoded), for the offer and the ice_candidate of SignalingLoad.
 * Usage: {@code RelayCodecBench [iterations]}.
 */
public final class RelayCodecBench {
    private RelayCodecBench() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        StringBuilder sdp = new StringBuilder("v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n");
        while (sdp.length() < 2500) {
            sdp.append("a=rtpmap:96 VP8/90000\\r\\na=rtcp-fb:96 goog-remb\\r\\na=rtcp-fb:96 transport-cc\\r\\n");
        }
        String offer = "{\"type\":\"offer\",\"target\":\"p1\",\"offer\":{\"type\":\"offer\",\"sdp\":\"" + sdp + "\"},\"t\":123456789012}";
        String candidate = "{\"type\":\"ice_candidate\",\"target\":\"p1\",\"candidate\":{\"candidate\":"
                + "\"candidate:842163049 1 udp 1677729535 192.0.2.7 54400 typ srflx raddr 10.0.0.2 rport 54400\","
                + "\"sdpMid\":\"0\",\"sdpMLineIndex\":0},\"t\":123456789012}";
        SignalingCodec codec = new SignalingCodec();
        PeerId from = new PeerId("p0");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        for (String[] c : new String[][] {{"offer (2.7 KB)", offer}, {"ice_candidate", candidate}}) {
            for (int round = 0; round < 2; round++) { // the first round warms the JIT
                long t0 = mx.getCurrentThreadCpuTime();
                long sink = 0;
                for (int i = 0; i < n; i++) {
                    sink += splice(codec, c[1], from).length();
                }
                long t1 = mx.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) {
                    sink += tree(codec, c[1], from).length();
                }
                long t2 = mx.getCurrentThreadCpuTime();
                if (round == 1) {
                    System.out.printf(Locale.ROOT, "%s: splice %.2f us/msg, tree %.2f us/msg, ratio %.1fx (%d)%n", c[0],
                            (t1 - t0) / 1e3 / n, (t2 - t1) / 1e3 / n, (double) (t2 - t1) / (t1 - t0), sink % 10);
                }
            }
        }
    }

    private static String splice(SignalingCodec codec, String text, PeerId from) {
        var ok = (SignalingCodec.Decoded.Ok) codec.decode(text);
        ClientMessage.Relay r = (ClientMessage.Relay) ok.message();
        return codec.encode(new ServerMessage.Relayed(from, r.kind(), r.members()));
    }

    /** What the codec did before: a tree in, a new tree out. */
    private static String tree(SignalingCodec codec, String text, PeerId from) throws Exception {
        ObjectNode in = (ObjectNode) codec.readTree(text);
        if (!in.get("target").isTextual() || in.get(in.get("type").textValue().equals("offer") ? "offer" : "candidate") == null) {
            throw new IllegalStateException();
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("type", in.get("type"));
        out.put("from", from.value());
        for (Map.Entry<String, JsonNode> e : in.properties()) {
            String k = e.getKey();
            if (!k.equals("type") && !k.equals("target") && !k.equals("from")) {
                out.set(k, e.getValue());
            }
        }
        return codec.mapper().writeValueAsString(out);
    }
}
