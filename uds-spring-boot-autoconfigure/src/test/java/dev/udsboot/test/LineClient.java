package dev.udsboot.test;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.socket.UdsAddress;

/**
 * A line client for tests, over junixsocket (or a TCP or TLS socket): connects, writes raw bytes,
 * reads lines or raw bytes, with a read timeout so a test never hangs.
 */
public final class LineClient implements Closeable {

	private final Socket socket;

	private final BufferedReader reader;

	private final OutputStream output;

	private LineClient(Socket socket) throws IOException {
		this.socket = socket;
		this.socket.setSoTimeout(10_000);
		this.reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
		this.output = socket.getOutputStream();
	}

	/**
	 * Connects to an address.
	 * @param address the listener's address
	 * @return the client
	 * @throws IOException if connecting fails
	 */
	public static LineClient connect(UdsAddress address) throws IOException {
		AFUNIXSocketAddress target = address.toSocketAddress();
		return new LineClient(AFUNIXSocket.connectTo(target));
	}

	/**
	 * Talks over a socket already connected: TCP, or TLS.
	 * @param socket the socket
	 * @return the client
	 * @throws IOException if the socket is closed
	 */
	public static LineClient over(Socket socket) throws IOException {
		return new LineClient(socket);
	}

	public void write(byte[] bytes) throws IOException {
		this.output.write(bytes);
		this.output.flush();
	}

	public void writeLine(String line) throws IOException {
		write((line + "\n").getBytes(StandardCharsets.UTF_8));
	}

	/** @return the next line, or {@code null} at end of stream */
	public String readLine() throws IOException {
		return this.reader.readLine();
	}

	public String request(String line) throws IOException {
		writeLine(line);
		return readLine();
	}

	/** @return the raw input stream (do not mix with {@link #readLine()}) */
	public InputStream input() throws IOException {
		return this.socket.getInputStream();
	}

	public Socket socket() {
		return this.socket;
	}

	public void shutdownOutput() throws IOException {
		if (this.socket instanceof AFUNIXSocket unix) {
			// the channel's shutdown: JDK 25's Socket#shutdownOutput refuses junixsocket's sockets
			unix.getChannel().shutdownOutput();
		}
		else {
			this.socket.shutdownOutput();
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
