package io.rtc4j.sdp;

/** ICE username fragment and password, checked against RFC 8839 §5.4 (ufrag 4-256, pwd 22-256 ice-chars). */
public record IceCredentials(String ufrag, String pwd) {
    public IceCredentials {
        check(ufrag, 4, "ice-ufrag");
        check(pwd, 22, "ice-pwd");
    }

    private static void check(String s, int min, String what) {
        if (s == null || s.length() < min || s.length() > 256) {
            throw new IllegalArgumentException(what + " must be " + min + "-256 ice-chars");
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
            if (!ok) throw new IllegalArgumentException(what + " has a character outside ice-char: " + c);
        }
    }

    @Override
    public String toString() {
        return "IceCredentials[ufrag=" + ufrag + ", pwd=<" + pwd.length() + " chars>]";
    }
}
