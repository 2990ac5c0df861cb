package io.rtc4j.sdp;

import java.util.ArrayList;
import java.util.List;

/** Small validation and splitting helpers shared by the SDP records. */
final class Tokens {
    private Tokens() {}

    /** Text of a line value: no CR, LF or NUL (RFC 8866 §9 byte-string). */
    static void requireText(String s, String what) {
        if (s == null) throw new IllegalArgumentException(what + " missing");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) throw new IllegalArgumentException(what + " contains CR, LF or NUL");
        }
    }

    /** A non-empty run of visible characters (no spaces or controls). */
    static void requireToken(String s, String what) {
        if (s == null || s.isEmpty()) throw new IllegalArgumentException(what + " missing");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c == 0x7f) throw new IllegalArgumentException(what + " contains a space or control: '" + s + "'");
        }
    }

    static void requireDigits(String s, String what) {
        if (s == null || s.isEmpty() || s.length() > 32) throw new IllegalArgumentException(what + " must be 1-32 digits");
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') throw new IllegalArgumentException(what + " must be digits: '" + s + "'");
        }
    }

    /** Splits on single spaces; empty fields (from double spaces) stay, so the caller can reject them. */
    static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            if (i == s.length() || s.charAt(i) == ' ') {
                out.add(s.substring(start, i));
                start = i + 1;
            }
        }
        return out;
    }

    static int parseInt(String s, int min, int max, String what) {
        long v = parseLong(s, what);
        if (v < min || v > max) throw new IllegalArgumentException(what + " out of range " + min + ".." + max + ": " + s);
        return (int) v;
    }

    static long parseLong(String s, String what) {
        if (s == null || s.isEmpty() || s.length() > 18) throw new IllegalArgumentException(what + " must be 1-18 digits");
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') throw new IllegalArgumentException(what + " must be a decimal number: '" + s + "'");
            v = v * 10 + (c - '0');
        }
        return v;
    }

    static String join(List<String> parts) {
        return String.join(" ", parts);
    }
}
