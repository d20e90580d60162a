package dev.udsboot.sample;

import java.io.FileDescriptor;

import org.springframework.stereotype.Component;

import dev.udsboot.annotation.UdsHandler;

/**
 * The {@code echo} listener, and {@code echo-tcp}, the same handler on a TCP port: replies with
 * the line it received; {@code echo-descriptors} does the same for lines that carry descriptors.
 */
@Component
public class EchoHandlers {

	/**
	 * Echoes a line, on the Unix domain socket and on TCP alike.
	 * @param line the line received
	 * @return the same line
	 */
	@UdsHandler({ "echo", "echo-tcp" })
	public String echo(String line) {
		return line;
	}

	/**
	 * Echoes a line that came with descriptors (which the starter closes afterwards); the target
	 * of the benchmark's descriptor mode.
	 * @param line the line received
	 * @param descriptors the descriptors sent with it
	 * @return the same line
	 */
	@UdsHandler("echo-descriptors")
	public String echoDescriptors(String line, FileDescriptor[] descriptors) {
		return line;
	}

}
