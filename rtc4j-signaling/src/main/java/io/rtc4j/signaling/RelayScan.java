package io.rtc4j.signaling;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.Arrays;

/**
 * The relay fast path of {@link SignalingCodec}: one streaming pass over the text (the same factory, so the
 * same depth limit, duplicate-key detection and strictness as the tree path), reading only the top-level
 * {@code type} and {@code target}, and remembering where each top-level member starts. A relayed message is
 * then spliced from the client's own text: its members minus {@code type}, {@code target} and {@code from},
 * verbatim (escapes, numbers and nested objects exactly as sent), so no tree is built or re-encoded.
 *
 * <p>Returns null for anything that is not a well-formed object whose top-level {@code type} is a relay type:
 * the caller then takes the tree path, which produces the same errors as before for bad input.
 */
final class RelayScan {
    private RelayScan() {}

    static SignalingCodec.Decoded scan(JsonFactory factory, String text) {
        int[] starts = new int[8];
        String[] names = new String[8];
        int n = 0;
        String type = null;
        String target = null;
        boolean targetPresent = false;
        int end;
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            JsonToken t;
            for (t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                    names = Arrays.copyOf(names, n * 2);
                }
                String name = p.currentName();
                starts[n] = (int) p.currentTokenLocation().getCharOffset();
                names[n++] = name;
                JsonToken v = p.nextToken();
                if (name.equals("type")) {
                    type = v == JsonToken.VALUE_STRING ? p.getText() : null;
                } else if (name.equals("target")) {
                    targetPresent = true;
                    target = v == JsonToken.VALUE_STRING ? p.getText() : null;
                }
                p.skipChildren();
            }
            if (t != JsonToken.END_OBJECT) {
                return null;
            }
            end = (int) p.currentTokenLocation().getCharOffset();
            if (p.nextToken() != null) {
                return null; // trailing tokens: the tree path reports them
            }
        } catch (JacksonException | IllegalArgumentException e) {
            return null;
        } catch (IOException e) {
            return null; // a String source does no I/O
        }
        ClientMessage.RelayKind kind = kindOf(type);
        if (kind == null) {
            return null;
        }
        // the same checks, in the same order, as the tree path
        if (!targetPresent) {
            return invalid(SignalingErrorCode.MISSING_FIELD, "missing field: target", kind);
        }
        if (target == null) {
            return invalid(SignalingErrorCode.INVALID_FIELD, "target must be a string", kind);
        }
        if (!SignalingIds.valid(target, PeerId.MAX_LENGTH)) {
            return invalid(SignalingErrorCode.INVALID_FIELD,
                    "target must have 1 to " + PeerId.MAX_LENGTH + " characters and no control characters", kind);
        }
        boolean payload = false;
        for (int i = 0; i < n && !payload; i++) {
            payload = names[i].equals(kind.payloadField());
        }
        if (!payload) {
            return invalid(SignalingErrorCode.MISSING_FIELD, "missing field: " + kind.payloadField(), kind);
        }
        return new SignalingCodec.Decoded.Ok(
                new ClientMessage.Relay(kind, new PeerId(target), members(text, starts, names, n, end)));
    }

    /** The kept members' text, comma-separated: [key start, next key start or '}') minus whitespace and ','. */
    private static String members(String text, int[] starts, String[] names, int n, int end) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < n; i++) {
            String name = names[i];
            if (name.equals("type") || name.equals("target") || name.equals("from")) {
                continue;
            }
            int to = i + 1 < n ? starts[i + 1] : end;
            to = trimWhitespace(text, starts[i], to);
            if (i + 1 < n) {
                to = trimWhitespace(text, starts[i], to - 1); // the ',' between members
            }
            if (!b.isEmpty()) {
                b.append(',');
            }
            b.append(text, starts[i], to);
        }
        return b.toString();
    }

    /** RFC 8259 §2: insignificant whitespace is space, tab, LF and CR. */
    private static int trimWhitespace(String text, int from, int to) {
        while (to > from) {
            char c = text.charAt(to - 1);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                break;
            }
            to--;
        }
        return to;
    }

    private static ClientMessage.RelayKind kindOf(String type) {
        if (type == null) {
            return null;
        }
        return switch (type) {
            case "offer" -> ClientMessage.RelayKind.OFFER;
            case "answer" -> ClientMessage.RelayKind.ANSWER;
            case "ice_candidate" -> ClientMessage.RelayKind.ICE_CANDIDATE;
            default -> null;
        };
    }

    private static SignalingCodec.Decoded invalid(SignalingErrorCode code, String detail, ClientMessage.RelayKind kind) {
        return new SignalingCodec.Decoded.Invalid(code, detail, kind.type());
    }
}
