package io.rtc4j.dtls;

import java.io.IOException;
import java.util.Hashtable;
import org.bouncycastle.tls.AlertDescription;
import org.bouncycastle.tls.AlertLevel;
import org.bouncycastle.tls.Certificate;
import org.bouncycastle.tls.CertificateRequest;
import org.bouncycastle.tls.ClientCertificateType;
import org.bouncycastle.tls.DefaultTlsServer;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.RenegotiationPolicy;
import org.bouncycastle.tls.TlsContext;
import org.bouncycastle.tls.TlsCredentialedSigner;
import org.bouncycastle.tls.TlsExtensionsUtils;
import org.bouncycastle.tls.TlsSRTPUtils;
import org.bouncycastle.tls.TlsUtils;
import org.bouncycastle.tls.UseSRTPData;

/** The DTLS 1.2 server side for WebRTC, run by BouncyCastle's {@code DTLSServerProtocol} on the handshake thread. */
final class WebRtcDtlsServer extends DefaultTlsServer {
    private static final byte[] NO_MKI = new byte[0];

    private final HandshakePolicy policy;
    private final HandshakeEvents events;

    WebRtcDtlsServer(HandshakePolicy policy, HandshakeEvents events) {
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
        return policy.cipherSuites(true);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public void processClientExtensions(Hashtable clientExtensions) throws IOException {
        super.processClientExtensions(clientExtensions);
        UseSRTPData offered = clientExtensions == null ? null : TlsSRTPUtils.getUseSRTPExtension(clientExtensions);
        if (offered != null) {
            // RFC 5764 §4.1.1: no common profile means no use_srtp in the ServerHello, not a failure.
            policy.selectedProfile(policy.chooseProfile(offered.getProtectionProfiles()));
        }
    }

    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public Hashtable getServerExtensions() throws IOException {
        Hashtable extensions = TlsExtensionsUtils.ensureExtensionsInitialised(super.getServerExtensions());
        SrtpProfile chosen = policy.selectedProfile();
        if (chosen != null) {
            TlsSRTPUtils.addUseSRTPExtension(extensions, new UseSRTPData(new int[] {chosen.id()}, NO_MKI));
        }
        return extensions;
    }

    @Override
    public CertificateRequest getCertificateRequest() {
        // RFC 8827 §6.5: both sides present a certificate; any key type the peer likes.
        short[] types = {ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign};
        return new CertificateRequest(types, TlsUtils.getDefaultSupportedSignatureAlgorithms(context), null);
    }

    @Override
    public void notifyClientCertificate(Certificate clientCertificate) throws IOException {
        policy.verifyPeer(clientCertificate);
    }

    @Override
    protected TlsCredentialedSigner getECDSASignerCredentials() {
        return policy.signer(context, context.getSecurityParametersHandshake().getClientSigAlgs());
    }

    @Override
    protected TlsCredentialedSigner getRSASignerCredentials() {
        return policy.signer(context, context.getSecurityParametersHandshake().getClientSigAlgs());
    }

    @Override
    public void notifyHandshakeComplete() throws IOException {
        super.notifyHandshakeComplete();
        policy.handshakeCompleted(context);
    }

    @Override
    public boolean requiresExtendedMasterSecret() {
        return true;
    }

    @Override
    public boolean shouldCheckSigAlgOfPeerCerts() {
        return false;
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
    public void notifyAlertRaised(short alertLevel, short alertDescription, String message, Throwable cause) {}
}
