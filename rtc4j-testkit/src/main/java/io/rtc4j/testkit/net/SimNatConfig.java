package io.rtc4j.testkit.net;

import java.time.Duration;
import java.util.Objects;

/**
 * A NAT's behaviour in RFC 4787's terms. Immutable; presets for the classic (RFC 3489) names, tweakable with
 * {@link #toBuilder()}.
 *
 * @param mapping when a new external port is needed (§4.1)
 * @param filtering which inbound packets pass an existing mapping (§5)
 * @param portAssignment how the external port is chosen (§4.2.1)
 * @param mappingTimeout idle time after which a mapping, and each filter permission, lapses (§4.3; REQ-5 wants
 *     at least 2 minutes, shorter values are allowed because real NATs use them)
 * @param hairpinning whether inside hosts reach each other through the external address (§6, REQ-9)
 * @param inboundRefresh whether inbound packets also refresh the mapping (§4.3: outbound always does, REQ-6)
 * @param portLow lowest external port handed out
 * @param portHigh highest external port handed out
 */
public record SimNatConfig(
        NatBehavior mapping,
        NatBehavior filtering,
        NatPortAssignment portAssignment,
        Duration mappingTimeout,
        boolean hairpinning,
        boolean inboundRefresh,
        int portLow,
        int portHigh) {

    /** RFC 4787 REQ-5: a UDP mapping must not expire in less than two minutes. */
    public static final Duration DEFAULT_MAPPING_TIMEOUT = Duration.ofSeconds(120);

    public SimNatConfig {
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(filtering, "filtering");
        Objects.requireNonNull(portAssignment, "portAssignment");
        Objects.requireNonNull(mappingTimeout, "mappingTimeout");
        if (mappingTimeout.isNegative() || mappingTimeout.isZero()) {
            throw new IllegalArgumentException("mappingTimeout must be positive: " + mappingTimeout);
        }
        // §4.2.1: ports 1024-65535 map into the same range; below 1024 is not modelled.
        if (portLow < 1024 || portHigh > 65535 || portLow > portHigh) {
            throw new IllegalArgumentException("port range must lie within 1024-65535: " + portLow + "-" + portHigh);
        }
    }

    /** Endpoint-independent mapping and filtering ("full cone"). */
    public static SimNatConfig fullCone() {
        return cone(NatBehavior.ENDPOINT_INDEPENDENT);
    }

    /** Endpoint-independent mapping, address-dependent filtering ("restricted cone"; REQ-8's stricter choice). */
    public static SimNatConfig restrictedCone() {
        return cone(NatBehavior.ADDRESS_DEPENDENT);
    }

    /** Endpoint-independent mapping, address-and-port-dependent filtering; what Linux masquerade measures as. */
    public static SimNatConfig portRestrictedCone() {
        return cone(NatBehavior.ADDRESS_AND_PORT_DEPENDENT);
    }

    /** Address-and-port-dependent mapping and filtering ("symmetric"; nftables {@code masquerade fully-random}). */
    public static SimNatConfig symmetric() {
        return builder()
                .mapping(NatBehavior.ADDRESS_AND_PORT_DEPENDENT)
                .filtering(NatBehavior.ADDRESS_AND_PORT_DEPENDENT)
                .portAssignment(NatPortAssignment.RANDOM)
                .build();
    }

    private static SimNatConfig cone(NatBehavior filtering) {
        return builder().filtering(filtering).build();
    }

    /** Defaults: a port-restricted cone, port preserving, 120 s, hairpinning on, outbound refresh only. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .mapping(mapping)
                .filtering(filtering)
                .portAssignment(portAssignment)
                .mappingTimeout(mappingTimeout)
                .hairpinning(hairpinning)
                .inboundRefresh(inboundRefresh)
                .portRange(portLow, portHigh);
    }

    public static final class Builder {
        private NatBehavior mapping = NatBehavior.ENDPOINT_INDEPENDENT;
        private NatBehavior filtering = NatBehavior.ADDRESS_AND_PORT_DEPENDENT;
        private NatPortAssignment portAssignment = NatPortAssignment.PRESERVING;
        private Duration mappingTimeout = DEFAULT_MAPPING_TIMEOUT;
        private boolean hairpinning = true;
        private boolean inboundRefresh;
        private int portLow = 1024;
        private int portHigh = 65535;

        private Builder() {}

        public Builder mapping(NatBehavior b) {
            this.mapping = b;
            return this;
        }

        public Builder filtering(NatBehavior b) {
            this.filtering = b;
            return this;
        }

        public Builder portAssignment(NatPortAssignment a) {
            this.portAssignment = a;
            return this;
        }

        public Builder mappingTimeout(Duration d) {
            this.mappingTimeout = d;
            return this;
        }

        public Builder hairpinning(boolean on) {
            this.hairpinning = on;
            return this;
        }

        public Builder inboundRefresh(boolean on) {
            this.inboundRefresh = on;
            return this;
        }

        public Builder portRange(int low, int high) {
            this.portLow = low;
            this.portHigh = high;
            return this;
        }

        public SimNatConfig build() {
            return new SimNatConfig(
                    mapping, filtering, portAssignment, mappingTimeout, hairpinning, inboundRefresh, portLow, portHigh);
        }
    }
}
