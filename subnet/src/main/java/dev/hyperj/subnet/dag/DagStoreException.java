package dev.hyperj.subnet.dag;

import dev.hyperj.subnet.SubnetException;

/** The DAG store could not be opened, read or written (RocksDB said why). */
public final class DagStoreException extends SubnetException {
    private static final long serialVersionUID = 1L;

    public DagStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
