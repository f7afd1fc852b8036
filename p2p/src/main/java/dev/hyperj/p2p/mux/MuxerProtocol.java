package dev.hyperj.p2p.mux;

/** The stream multiplexers we speak, with their multistream-select protocol ids. */
public enum MuxerProtocol {
    YAMUX("/yamux/1.0.0"),
    MPLEX("/mplex/6.7.0");

    private final String id;

    MuxerProtocol(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** The protocol with this multistream id, or null. */
    public static MuxerProtocol fromId(String id) {
        for (MuxerProtocol p : values()) if (p.id.equals(id)) return p;
        return null;
    }
}
