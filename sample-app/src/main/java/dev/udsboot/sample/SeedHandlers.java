package dev.udsboot.sample;

import java.io.FileInputStream;
import java.io.IOException;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

import dev.udsboot.annotation.UdsConnectionOpened;
import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.listener.UdsSession;
import dev.udsboot.socket.PeerCredentials;

/**
 * The seed tutorial's stream servers ({@code seed} profile): {@code /tmp/my_uds.sock} answers each
 * chunk with {@code Hello from server}; the abstract socket {@code my_abstract_socket} prints
 * what it receives; {@code /tmp/cred_check.sock} logs the caller's pid, uid and gid;
 * {@code /tmp/fd_pass.sock} sends each client a descriptor open on {@code /etc/hostname}.
 */
@Component
@Profile("seed")
public class SeedHandlers {

	private static final Log logger = LogFactory.getLog(SeedHandlers.class);

	/**
	 * The seed's {@code uds_dgram_server.c}, answering any number of clients at their own bound
	 * paths (the seed's "Try It").
	 * @param datagram what the client sent
	 * @return {@code ACK}, sent to the client's bound path
	 */
	@UdsHandler("seed-dgram")
	public String acknowledge(String datagram) {
		logger.info("Server got: " + datagram);
		return "ACK";
	}

	/**
	 * The seed's {@code uds_server.c}.
	 * @param chunk what the client wrote
	 * @return the seed server's reply
	 */
	@UdsHandler("seed-stream")
	public String hello(String chunk) {
		logger.info("Server received: " + chunk);
		return "Hello from server";
	}

	/**
	 * The seed's {@code cred_server.c}: logs the caller's pid, uid and gid.
	 * @param chunk what the caller wrote
	 * @param peer the caller's credentials, from the kernel
	 */
	@UdsHandler("seed-cred-check")
	public void credCheck(byte[] chunk, PeerCredentials peer) {
		logger.info("Peer PID: " + peer.pid() + ", Peer UID: " + peer.uid() + ", Peer GID: " + peer.gid());
	}

	/**
	 * The seed's {@code fd_sender.c}: sends each connecting client one byte with a descriptor open
	 * on {@code /etc/hostname}, then closes the connection.
	 * @param session the new connection
	 * @throws IOException if {@code /etc/hostname} cannot be opened
	 */
	@UdsConnectionOpened("seed-fd-pass")
	public void sendHostname(UdsSession session) throws IOException {
		try (FileInputStream hostname = new FileInputStream("/etc/hostname")) {
			session.send(new byte[] { 'F' }, List.of(hostname.getFD()));
		}
		session.close();
	}

	/**
	 * The seed's {@code uds_abstract.c} server side.
	 * @param chunk what the client wrote
	 */
	@UdsHandler("seed-abstract")
	public void received(String chunk) {
		logger.info("Received via abstract socket: " + chunk);
	}

}
