package dev.udsboot.management;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.loader.WebappLoader;
import org.apache.catalina.startup.Tomcat;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.newsclub.net.unix.AFUNIXSocketAddress;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.FileSystemUtils;

import dev.udsboot.socket.BoundSocketFile;
import dev.udsboot.socket.SocketFileBinder;
import dev.udsboot.socket.SocketFileException;
import dev.udsboot.socket.SocketFileOptions;

/**
 * An HTTP server on a Unix domain socket, for Actuator: an embedded Tomcat of its own (whatever
 * web server the application has, or none) whose one connector listens on the socket, serving one
 * servlet. The socket file follows the listeners' rules ({@link SocketFileBinder}): Tomcat binds
 * it in a private directory, and only once it has its mode and group is it linked at the path; a
 * live socket or anything that is not a socket is never replaced; on stop only our own file is
 * removed. Starts before the listeners and stops after them, so health can be asked while they
 * start and drain.
 */
public class UdsManagementServer implements SmartLifecycle {

	/** Starts before the listeners and stops after them. */
	public static final int PHASE = Integer.MAX_VALUE - 200;

	private static final Log logger = LogFactory.getLog(UdsManagementServer.class);

	private static final java.util.concurrent.atomic.AtomicInteger INSTANCES = new java.util.concurrent.atomic.AtomicInteger();

	private final Path path;

	private final SocketFileOptions options;

	private final HttpServlet servlet;

	private @Nullable BoundSocketFile<RunningTomcat> bound;

	/**
	 * Creates the server; nothing is bound until {@link #start()}.
	 * @param path the socket file
	 * @param options its mode, group and directory creation
	 * @param servlet what answers every request
	 */
	public UdsManagementServer(Path path, SocketFileOptions options, HttpServlet servlet) {
		this.path = path;
		this.options = options;
		this.servlet = servlet;
	}

	@Override
	public synchronized void start() {
		if (this.bound != null) {
			return;
		}
		try {
			this.bound = new SocketFileBinder().bind(this.path, this.options, this::startTomcat);
		}
		catch (SocketFileException ex) {
			throw ex.toStartupFailure("The management socket", "uds.management.", this.path);
		}
		logger.info("Serving Actuator over " + this.path);
	}

	private RunningTomcat startTomcat(AFUNIXSocketAddress address) throws IOException {
		Path baseDir = Files.createTempDirectory("uds-management-");
		Tomcat tomcat = new Tomcat();
		RunningTomcat running = new RunningTomcat(tomcat, baseDir);
		try {
			tomcat.setBaseDir(baseDir.toString());
			// names of its own, or its MBeans would clash with the application's Tomcat ("Tomcat")
			String name = "uds-management-" + INSTANCES.incrementAndGet();
			tomcat.getEngine().setName(name);
			tomcat.getService().setName(name);
			Connector connector = new Connector("org.apache.coyote.http11.Http11NioProtocol");
			connector.setProperty("unixDomainSocketPath", address.getFile().getPath());
			connector.setThrowOnFailure(true);
			// TRACE reaches the servlet, which refuses it like every other write (405, JSON)
			connector.setAllowTrace(true);
			tomcat.getService().addConnector(connector);
			tomcat.setConnector(connector);
			// what Tomcat answers itself (a malformed URL) names neither Tomcat nor its version,
			// as Spring Boot's own Tomcat does
			ErrorReportValve errorReports = new ErrorReportValve();
			errorReports.setShowReport(false);
			errorReports.setShowServerInfo(false);
			tomcat.getHost().getPipeline().addValve(errorReports);
			Context context = tomcat.addContext("", baseDir.toString());
			useApplicationClassLoader(context);
			Tomcat.addServlet(context, "actuator", this.servlet).addMapping("/*");
			QuietTomcatLifecycle.run(tomcat::start);
			return running;
		}
		catch (LifecycleException | RuntimeException ex) {
			running.close();
			throw new IOException("Tomcat did not start on " + address.getFile() + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Loads classes as Spring Boot's own Tomcat does (its {@code TomcatServletWebServerFactory}):
	 * from the application's class loader, parent first. Tomcat's default parent is the system
	 * class loader, which in an executable jar has none of the application's classes, not even
	 * Tomcat's: stopping the context then logged a "JDBC driver de-registration failed" stack
	 * trace (it reads {@code JdbcLeakPrevention.class} through that loader), ahead of the error
	 * that made the application stop. The reflective clean-ups of RMI targets and thread locals
	 * are off, as in Spring Boot: there is no web application to leak, and on Java 17 they only
	 * log that they need {@code --add-opens}.
	 */
	private void useApplicationClassLoader(Context context) {
		context.setParentClassLoader(this.servlet.getClass().getClassLoader());
		WebappLoader loader = new WebappLoader();
		loader.setDelegate(true);
		context.setLoader(loader);
		if (context instanceof StandardContext standard) {
			standard.setClearReferencesRmiTargets(false);
			standard.setClearReferencesThreadLocals(false);
		}
	}

	@Override
	public synchronized void stop() {
		BoundSocketFile<RunningTomcat> server = this.bound;
		this.bound = null;
		if (server != null) {
			server.close();
			logger.info("Stopped serving Actuator over " + this.path);
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.bound != null;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Returns the socket file while running.
	 * @return the bound file, or {@code null}
	 */
	public synchronized @Nullable BoundSocketFile<?> getSocketFile() {
		return this.bound;
	}

	/** A started Tomcat and its base directory; closing stops it and deletes the directory. */
	private record RunningTomcat(Tomcat tomcat, Path baseDir) implements Closeable {

		@Override
		public void close() {
			try {
				QuietTomcatLifecycle.run(this.tomcat::stop);
			}
			catch (LifecycleException | RuntimeException ex) {
				logger.warn("Tomcat on the management socket did not stop cleanly: " + ex);
			}
			try {
				QuietTomcatLifecycle.run(this.tomcat::destroy);
			}
			catch (LifecycleException | RuntimeException ex) {
				logger.warn("Tomcat on the management socket was not destroyed cleanly: " + ex);
			}
			finally {
				try {
					FileSystemUtils.deleteRecursively(this.baseDir);
				}
				catch (IOException ex) {
					logger.debug("Could not delete " + this.baseDir, ex);
				}
			}
		}

	}

}
