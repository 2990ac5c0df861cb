package io.rtc4j.server.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class TurnCredentialsCommandTest {
    @Test
    void printsCoturnCompatibleJson() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = new CommandLine(new TurnCredentialsCommand())
                    .execute("--secret", "S3cr3t", "--user", "alice", "--ttl", "86400", "--host", "turn.example.org");
        } finally {
            System.setOut(old);
        }
        assertThat(code).isZero();
        String json = buf.toString(StandardCharsets.UTF_8).strip();
        Matcher m = Pattern.compile("\\{\"username\":\"(\\d+):alice\",\"password\":\"([^\"]+)\",\"ttl\":86400,"
                        + "\"uris\":\\[\"turn:turn.example.org:3478\\?transport=udp\",\"turn:turn.example.org:3478\\?transport=tcp\","
                        + "\"turns:turn.example.org:5349\\?transport=tcp\"]}")
                .matcher(json);
        assertThat(m.matches()).as(json).isTrue();
        long expiry = Long.parseLong(m.group(1));
        assertThat(expiry).isBetween(System.currentTimeMillis() / 1000 + 86000, System.currentTimeMillis() / 1000 + 86500);
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec("S3cr3t".getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal((expiry + ":alice").getBytes(StandardCharsets.UTF_8)));
        assertThat(m.group(2)).isEqualTo(expected);
    }
}
