package dev.udsboot.listener.source;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.RepeatedTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A graceful stop of a TCP connection whose reader is in the middle of a burst: every byte the
 * client wrote before the stop is read, however the stop falls among the reader's reads.
 */
class TcpConnectionSocketDrainTests {

	private static final int TOTAL = 256 * 1024;

	@RepeatedTest(20)
	void everyByteWrittenBeforeTheStopIsRead() throws Exception {
		try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
				Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
				Socket accepted = server.accept()) {
			accepted.setReceiveBufferSize(1 << 20);
			TcpConnectionSocket connection = new TcpConnectionSocket(accepted, accepted);
			InputStream input = connection.getInputStream();
			AtomicLong read = new AtomicLong();
			Thread reader = new Thread(() -> {
				byte[] buffer = new byte[512];
				try {
					int count;
					while ((count = input.read(buffer, 0, buffer.length)) >= 0) {
						read.addAndGet(count);
					}
				}
				catch (Exception ex) {
					// what was read is what counts
				}
			});
			reader.start();
			OutputStream output = client.getOutputStream();
			output.write(new byte[TOTAL]);
			output.flush();
			connection.shutdownInput();
			reader.join(5000);
			assertThat(reader.isAlive()).as("the input ended").isFalse();
			assertThat(read.get()).isEqualTo(TOTAL);
		}
	}

}
