/**
 * {@link dev.hyperj.p2p.bytes.Bytes}, the byte string with value equality that every module uses
 * for byte keys and hashes (it lives here, in the lowest module, so that chain, subnet and the
 * rest share it rather than each writing its own {@code equals}/{@code hashCode} over an array).
 */
package dev.hyperj.p2p.bytes;
