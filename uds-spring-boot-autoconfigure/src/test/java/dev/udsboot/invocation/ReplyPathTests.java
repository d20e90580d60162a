package dev.udsboot.invocation;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.listener.UdsReply;
import dev.udsboot.listener.api.UdsListenerErrorHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every reply takes one path, whatever the handler or its error handler returns: a reply that
 * cannot be framed reaches the error handler, and an error handler's {@code UdsReply} keeps its
 * descriptors.
 */
class ReplyPathTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(UdsAutoConfiguration.class, JacksonAutoConfiguration.class))
			.withUserConfiguration(Handlers.class)
			.withPropertyValues("uds.listeners.json.path=" + this.dir.resolve("json.sock"),
					"uds.listeners.chunks.path=" + this.dir.resolve("chunks.sock"),
					"uds.listeners.chunks.framing=none");
	}

	/** An error handler's UdsReply for an invalid payload: its descriptor travels with it. */
	@Test
	void errorHandlersUdsReplyForAnInvalidPayloadCarriesItsDescriptor() {
		runner().run((context) -> {
			try (AFUNIXSocket socket = AFUNIXSocket
				.connectTo(AFUNIXSocketAddress.of(this.dir.resolve("json.sock")))) {
				socket.setAncillaryReceiveBufferSize(1024);
				socket.setSoTimeout(5000);
				socket.getOutputStream().write("not json\n".getBytes(StandardCharsets.UTF_8));
				byte[] reply = socket.getInputStream().readNBytes("bad\n".length());
				assertThat(new String(reply, StandardCharsets.UTF_8)).isEqualTo("bad\n");
				FileDescriptor[] received = socket.getReceivedFileDescriptors();
				assertThat(received).as("the error handler's descriptor").isNotNull().hasSize(1);
			}
		});
	}

	/**
	 * A UdsReply that cannot be framed (descriptors with an empty none-framed payload) is the
	 * handler's failure: its error handler decides the reply.
	 */
	@Test
	void aUdsReplyThatCannotBeFramedReachesTheErrorHandler() {
		runner().run((context) -> {
			try (AFUNIXSocket socket = AFUNIXSocket
				.connectTo(AFUNIXSocketAddress.of(this.dir.resolve("chunks.sock")))) {
				socket.setSoTimeout(5000);
				OutputStream out = socket.getOutputStream();
				InputStream in = socket.getInputStream();
				out.write("x".getBytes(StandardCharsets.UTF_8));
				byte[] buffer = new byte[64];
				int n = in.read(buffer);
				assertThat(n).as("an answer from the error handler, not a closed connection").isPositive();
				assertThat(new String(buffer, 0, n, StandardCharsets.UTF_8)).isEqualTo("sorry");
			}
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class Handlers implements AutoCloseable {

		final FileInputStream hostname;

		Handlers() throws Exception {
			this.hostname = new FileInputStream("/etc/hostname");
		}

		/** Closed with the context: a stream left to the garbage collector closes at a random time. */
		@Override
		public void close() throws Exception {
			this.hostname.close();
		}

		record Order(int id) {
		}

		@UdsHandler(value = "json", errorHandler = "fdErrorHandler")
		String json(Order order) {
			return "ok " + order.id();
		}

		@UdsHandler(value = "chunks", errorHandler = "sorryErrorHandler")
		UdsReply chunks(byte[] chunk) throws Exception {
			return UdsReply.of(new byte[0], this.hostname.getFD());
		}

		@Bean
		UdsListenerErrorHandler fdErrorHandler() {
			return (message, exception) -> UdsReply.of("bad", this.hostname.getFD());
		}

		@Bean
		UdsListenerErrorHandler sorryErrorHandler() {
			return (message, exception) -> "sorry";
		}

	}

}
