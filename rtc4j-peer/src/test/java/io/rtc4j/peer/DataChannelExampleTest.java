package io.rtc4j.peer;

import static org.assertj.core.api.Assertions.assertThat;

import io.rtc4j.peer.example.DataChannelExample;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The example the README quotes runs and prints the echo. */
class DataChannelExampleTest {
    @Test
    void exampleRunsAndPrintsTheEcho() throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            DataChannelExample.main(new String[0]);
        } finally {
            System.setOut(saved);
        }
        String out = buf.toString(StandardCharsets.UTF_8);
        assertThat(out).contains("Alice got: echo: hello from Alice").contains("messagesSent=1");
    }
}
