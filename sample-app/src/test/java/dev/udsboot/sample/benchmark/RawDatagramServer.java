package dev.udsboot.sample.benchmark;

import java.io.File;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;

/**
 * The datagram benchmark's baseline: a hand-written junixsocket datagram server, as one would
 * write it without the starter, answering every datagram with {@code ACK} at its sender's address
 * like the sample app's {@code events} listener. One thread, one receive buffer; no Spring.
 * <p>
 * Usage: {@code RawDatagramServer <socket path>}; prints {@code READY} once it is bound.
 */
public final class RawDatagramServer {

	private RawDatagramServer() {
	}

	/**
	 * Serves until the process is killed.
	 * @param args the socket path
	 * @throws IOException if the socket cannot be bound
	 */
	public static void main(String[] args) throws IOException {
		if (args.length != 1) {
			System.err.println("usage: RawDatagramServer <socket path>");
			System.exit(2);
		}
		AFUNIXDatagramChannel channel = AFUNIXDatagramChannel.open();
		channel.bind(AFUNIXSocketAddress.of(new File(args[0])));
		System.out.println("READY");
		System.out.flush();
		ByteBuffer request = ByteBuffer.allocateDirect(65536);
		byte[] ack = "ACK".getBytes(StandardCharsets.US_ASCII);
		while (true) {
			request.clear();
			SocketAddress sender = channel.receive(request);
			if (sender != null) {
				channel.send(ByteBuffer.wrap(ack), sender);
			}
		}
	}

}
