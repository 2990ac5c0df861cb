package io.rtc4j.netns;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rtc4j.testkit.netns.NetnsLab;
import java.util.Optional;

/** Netns tests skip where the lab cannot run (no root), except under CI=true, where they fail instead. */
final class NetnsRequirement {
    private NetnsRequirement() {}

    static void check() {
        Optional<String> why = NetnsLab.unavailableReason();
        if (why.isPresent() && NetnsLab.requiredByEnvironment()) {
            fail("CI=true but the netns lab cannot run: " + why.get());
        }
        assumeTrue(why.isEmpty(), () -> "netns lab unavailable: " + why.orElse(""));
    }
}
