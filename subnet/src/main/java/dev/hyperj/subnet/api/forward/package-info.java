/**
 * The API protocol {@code /subnet/api_protocol/1.0.0}: a subnet peer asks a route ({@link
 * dev.hyperj.subnet.api.forward.ApiCall}); the node checks it against the route's limits ({@link
 * dev.hyperj.subnet.api.forward.ForwardPolicy}, pure, no I/O), forwards it to the local HTTP service
 * configured for that route ({@link dev.hyperj.subnet.api.forward.Forwarder}) and answers with the
 * service's status, headers and body or a typed error ({@link dev.hyperj.subnet.api.forward.ApiAnswer}).
 */
package dev.hyperj.subnet.api.forward;
