package dev.hyperj.subnet.dag;

import java.util.List;

/**
 * The outcome of ingesting a node: {@link Status#ACCEPTED} (with every node it made acceptable,
 * itself and orphans that were waiting for it, in order), {@link Status#DUPLICATE},
 * {@link Status#ORPHAN} (kept; {@link #missing} are the parents to fetch), {@link Status#PENDING_BODY}
 * (a header alone, kept until its body comes), or {@link Status#REJECTED} with a reason.
 */
public record Ingested(
        String nodeId, Status status, List<String> accepted, List<String> missing, DagNodes.Rejection rejection) {
    public enum Status {
        ACCEPTED,
        DUPLICATE,
        ORPHAN,
        PENDING_BODY,
        REJECTED
    }

    public Ingested {
        accepted = List.copyOf(accepted);
        missing = List.copyOf(missing);
    }

    static Ingested accepted(String id, List<String> activated) {
        return new Ingested(id, Status.ACCEPTED, activated, List.of(), null);
    }

    static Ingested of(String id, Status s) {
        return new Ingested(id, s, List.of(), List.of(), null);
    }

    static Ingested orphan(String id, List<String> missing) {
        return new Ingested(id, Status.ORPHAN, List.of(), missing, null);
    }

    static Ingested rejected(String id, DagNodes.Rejection r) {
        return new Ingested(id, Status.REJECTED, List.of(), List.of(), r);
    }

    static Ingested rejected(String id, RejectReason reason, String detail) {
        return rejected(id, new DagNodes.Rejection(reason, detail));
    }

    public RejectReason reason() {
        return rejection == null ? null : rejection.reason();
    }

    @Override
    public String toString() {
        return status
                + (rejection == null ? "" : " " + rejection)
                + (missing.isEmpty() ? "" : " missing " + missing.size());
    }
}
