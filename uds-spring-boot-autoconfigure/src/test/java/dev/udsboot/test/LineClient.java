package dev.udsboot.test;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import dev.udsboot.socket.UdsAddress;

/**
 * A junixsocket client for tests: connects, writes raw bytes, reads lines or raw bytes, with a
 * read timeout so a test never hangs.
 */
public final class LineClient implements Closeable {

	private final AFUNIXSocket socket;

	private final BufferedReader reader;

	private final OutputStream output;

	private LineClient(AFUNIXSocket socket) throws IOException {
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

	public AFUNIXSocket socket() {
		return this.socket;
	}

	public void shutdownOutput() throws IOException {
		// the channel's shutdown: JDK 25's Socket#shutdownOutput refuses junixsocket's sockets
		this.socket.getChannel().shutdownOutput();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
