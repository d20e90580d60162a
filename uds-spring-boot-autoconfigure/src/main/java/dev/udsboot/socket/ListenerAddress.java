package dev.udsboot.socket;

/**
 * Where a listener's socket is: a Unix domain socket's path or abstract name ({@link UdsAddress}),
 * or a TCP host and port ({@link TcpAddress}). {@link #toString()} gives it as log lines and
 * failure reports show it.
 */
public sealed interface ListenerAddress permits UdsAddress, TcpAddress {

}
