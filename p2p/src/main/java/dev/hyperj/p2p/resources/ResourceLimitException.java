package dev.hyperj.p2p.resources;

/** A reservation the {@link ResourceManager} refused; {@link #refusal()} says which limit. */
public final class ResourceLimitException extends Exception {
    private final Refusal refusal;

    ResourceLimitException(Refusal refusal, String message) {
        super(message, null, false, false);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
