package io.rtc4j.bench.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class ChannelDataFrameTest {
    @Test
    void headerIsChannelAndLengthWithoutPaddingOverUdp() {
        byte[] frame = ChannelDataFrame.encode(0x4001, new byte[] {1, 2, 3});
        assertThat(frame).containsExactly(0x40, 0x01, 0x00, 0x03, 1, 2, 3);
        assertThat(ChannelDataFrame.isChannelData(ByteBuffer.wrap(frame))).isTrue();
    }

    @Test
    void refusesNumbersOutsideTheChannelRange() {
        assertThatThrownBy(() -> ChannelDataFrame.encode(0x3FFF, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ChannelDataFrame.encode(0x5000, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
