package io.rtc4j.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.DefaultTlsClient;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.RenegotiationPolicy;
import org.bouncycastle.tls.TlsAuthentication;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentials;
import org.bouncycastle.tls.TlsFatalAlert;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsServerCertificate;
import org.bouncycastle.tls.UseSRTPData;

/** The DTLS 1.2 client side for WebRTC, run by BouncyCastle's {@code DTLSClientProtocol} on the handshake thread. */
final class WebRtcDtlsClient extends DefaultTlsClient {
    private static final byte[] NO_MKI = new byte[0];

    private final HandshakePolicy policy;
    private final HandshakeEvents events;

    WebRtcDtlsClient(HandshakePolicy policy, HandshakeEvents events) {
        super(policy.crypto);
        this.policy = policy;
        this.events = events;
    }

    TlsContext context() {
        return context;
    }

    @Override
    protected ProtocolVersion[] getSupportedVersions() {
        return ProtocolVersion.DTLSv12.only();
    }

    @Override
    protected int[] getSupportedCipherSuites() {
        return policy.cipherSuites(false);
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getClientExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getClientExtensions());
        if (!policy.config.srtpProfiles().isEmpty()) {
            // RFC 5764 §4.1.1: offer our profiles, no MKI.
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(policy.offeredProfileIds(), NO_MKI));
        }
        return extensions;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processServerExtensions(Hashtable serverExtensions) throws IOException {
        super.processServerExtensions(serverExtensions);
        UseSRTPData data = serverExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(serverExtensions);
        if (data == null) {
            return;
        }
        // RFC 5764 §4.1.1: exactly one profile, one we offered.
        int[] ids = data.getProtectionProfiles();
        SrtpProfile chosen = ids.length == 1 ? SrtpProfile.fromId(ids[0]).orElse(null) : null;
        if (chosen == null || !policy.config.srtpProfiles().contains(chosen)) {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter, "server chose an SRTP profile we did not offer");
        }
        policy.selectedProfile(chosen);
    }

    @Override
    public TlsAuthentication getAuthentication() {
        return new TlsAuthentication() {
            @Override
            public void notifyServerCertificate(TlsServerCertificate serverCertificate) throws IOException {
                policy.verifyPeer(serverCertificate.getCertificate());
            }

            @Override
            public TlsCredentials getClientCredentials(CertificateRequest request) {
                return policy.signer(context, request.getSupportedSignatureAlgorithms());
            }
        };
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        policy.handshakeCompleted(context);
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true; // RFC 8827 §6.5 via RFC 7627: browsers insist too
    }

    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
        return false; // self-signed certificates, authenticated by fingerprint alone
    }

    @Override
    public int getRenegotiationPolicy() {
        return RenegotiationPolicy.DENY;
    }

    @Override
    public int getHandshakeTimeoutMillis() {
        return (int) policy.config.handshakeTimeout().toMillis();
    }

    @Override
    public int getHandshakeResendTimeMillis() {
        return (int) policy.config.initialRetransmitTimeout().toMillis();
    }

    @Override
    public void notifyAlertReceived(short alertLevel, short alertDescription) {
        if (alertLevel == AlertLevel.warning && alertDescription == AlertDescription.close_notify) {
            events.closeNotifyReceived();
        }
    }

    @Override
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {
        // Reported through the exception that ends the handshake; nothing is logged per alert.
    }
}
