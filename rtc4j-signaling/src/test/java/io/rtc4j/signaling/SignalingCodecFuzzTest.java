package io.rtc4j.signaling;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Jazzer target: any text decodes to a message or to an error code, never an exception; a decoded relay
 * re-encodes to JSON that decodes again. Runs its seeds as a test; JAZZER_FUZZ=1 fuzzes.
 */
class SignalingCodecFuzzTest {
    private static final SignalingCodec CODEC = new SignalingCodec();

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        SignalingCodec.Decoded d = CODEC.decode(text);
        if (d instanceof SignalingCodec.Decoded.Ok ok && ok.message() instanceof ClientMessage.Relay r) {
            String out = CODEC.encode(new ServerMessage.Relayed(new PeerId("x"), r.message()));
            if (CODEC.decode(out) instanceof SignalingCodec.Decoded.Invalid inv
                    && inv.code() == SignalingErrorCode.BAD_JSON) {
                throw new AssertionError("relayed message is not JSON: " + out);
            }
        }
    }
}
