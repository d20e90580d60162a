package dev.udsboot.sample;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;

/**
 * Runs a main class from a class loader of its own, as an executable jar's launcher does: the
 * system class loader then has none of the application's classes (the JVM is started with only
 * this class on its class path). Tomcat's default parent class loader is the system one, so this
 * shows what an executable jar shows without building one before the tests.
 * <p>
 * Arguments: the main class, then its arguments; system property {@code application.class.path}:
 * the application's class path.
 */
public final class ApplicationClassLoaderMain {

	private ApplicationClassLoaderMain() {
	}

	public static void main(String[] args) throws Exception {
		String[] entries = System.getProperty("application.class.path").split(File.pathSeparator);
		URL[] urls = new URL[entries.length];
		for (int i = 0; i < entries.length; i++) {
			urls[i] = new File(entries[i]).toURI().toURL();
		}
		ClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
		Thread.currentThread().setContextClassLoader(loader);
		Class.forName(args[0], true, loader)
			.getMethod("main", String[].class)
			.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
	}

}
