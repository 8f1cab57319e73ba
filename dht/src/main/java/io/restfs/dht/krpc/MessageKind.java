package io.restfs.dht.krpc;

/** The KRPC message type, the "y" key of BEP 5. */
public enum MessageKind {
    QUERY('q'),
    RESPONSE('r'),
    ERROR('e');

    private final char letter;

    MessageKind(char letter) {
        this.letter = letter;
    }

    public char letter() {
        return letter;
    }

    static MessageKind ofLetter(int b) {
        return switch (b) {
            case 'q' -> QUERY;
            case 'r' -> RESPONSE;
            case 'e' -> ERROR;
            default -> null;
        };
    }
}
