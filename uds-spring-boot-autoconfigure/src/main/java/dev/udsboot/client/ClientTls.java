package dev.udsboot.client;

import java.io.IOException;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import dev.udsboot.socket.TcpAddress;

/**
 * The client side of TLS to a TCP target: the context, and whether the server's certificate must
 * name the host connected to, as an HTTPS client checks it (without that, any certificate the
 * trust store's authorities issued would do, whoever it names).
 *
 * @param context the client's TLS context
 * @param verifyHostname whether the certificate must name the target's host; off only where the
 * context trusts exactly one certificate (an application's own listener)
 */
record ClientTls(SSLContext context, boolean verifyHostname) {

	/**
	 * Puts TLS over a connected socket and shakes hands, within the socket's read timeout.
	 * @param connected the TCP connection
	 * @param target where it goes
	 * @return the TLS socket, which closes the connection when closed
	 * @throws IOException if the handshake fails
	 */
	SSLSocket secure(Socket connected, TcpAddress target) throws IOException {
		SSLSocket secured = (SSLSocket) this.context.getSocketFactory()
			.createSocket(connected, target.host(), target.port(), true);
		if (this.verifyHostname) {
			SSLParameters parameters = secured.getSSLParameters();
			parameters.setEndpointIdentificationAlgorithm("HTTPS");
			secured.setSSLParameters(parameters);
		}
		secured.startHandshake();
		return secured;
	}

}
