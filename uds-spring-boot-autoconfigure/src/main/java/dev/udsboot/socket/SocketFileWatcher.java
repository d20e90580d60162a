package dev.udsboot.socket;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Notices when a published socket file is deleted, renamed away or replaced by another file, and
 * tells its owner once: new clients can no longer reach the socket through its path, although the
 * socket itself (held open, and for a stream socket still linked in its private directory) keeps
 * serving the connections it has.
 * <p>
 * One JDK {@link WatchService} (inotify on Linux: no polling, nothing to do while the files are
 * left alone) watches the directories of every file, and one daemon thread reads its events for
 * all of them; both exist only while something is watched, and end when the last watch is
 * closed. An event for a watched name (or an overflow) makes the file's identity be checked with
 * {@link BoundSocketFile#isStillOurs()}, so events of other files in the directory, and a file
 * put back as it was, change nothing.
 */
public final class SocketFileWatcher {

	private static final Log logger = LogFactory.getLog(SocketFileWatcher.class);

	private static final SocketFileWatcher SHARED = new SocketFileWatcher();

	/** Thread name, also for tests that look for it. */
	public static final String THREAD_NAME = "uds-socket-file-watcher";

	/**
	 * By watch key: the JDK gives one key per inode, so a directory reached through two spellings
	 * (/run and /var/run) is one entry, whose key is cancelled only when none of its watches is left.
	 */
	private final Map<WatchKey, Directory> directories = new HashMap<>();

	private @Nullable WatchService service;

	private @Nullable Thread thread;

	SocketFileWatcher() {
	}

	/**
	 * Returns the watcher the listeners of this process share.
	 * @return the watcher
	 */
	public static SocketFileWatcher shared() {
		return SHARED;
	}

	/**
	 * Starts watching a socket file. If it is no longer ours already, the owner is told at once.
	 * @param file the published file
	 * @param onLost told once, on the watcher's thread, what happened to it: {@code "deleted"} or
	 * {@code "replaced by another file"}
	 * @return closing it stops the watch (idempotent); close it before removing the file yourself
	 */
	public Closeable watch(BoundSocketFile<?> file, Consumer<String> onLost) {
		Watch watch = new Watch(file, onLost);
		synchronized (this) {
			try {
				WatchService watching = this.service;
				if (watching == null) {
					WatchService created = FileSystems.getDefault().newWatchService();
					watching = created;
					this.service = created;
					Thread reader = new Thread(() -> readEvents(created), THREAD_NAME);
					reader.setDaemon(true);
					this.thread = reader;
					reader.start();
				}
				Path parent = Objects.requireNonNull(file.path().getParent());
				WatchKey key = parent.register(watching, StandardWatchEventKinds.ENTRY_CREATE,
						StandardWatchEventKinds.ENTRY_DELETE);
				this.directories.computeIfAbsent(key, Directory::new).watches.add(watch);
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Cannot watch socket file " + file.path() + " (if it is deleted, nothing will say so "
						+ "but health): " + ex);
				stopIfIdle();
				return () -> {
				};
			}
		}
		// what happened before the directory was watched
		watch.check();
		return () -> unwatch(watch);
	}

	private void unwatch(Watch watch) {
		Thread stopped;
		synchronized (this) {
			watch.cancel();
			Directory directory = this.directories.values()
				.stream()
				.filter((candidate) -> candidate.watches.contains(watch))
				.findFirst()
				.orElse(null);
			if (directory != null) {
				directory.watches.remove(watch);
				if (directory.watches.isEmpty()) {
					directory.key.cancel();
					this.directories.remove(directory.key);
				}
			}
			stopped = stopIfIdle();
		}
		if (stopped != null && stopped != Thread.currentThread()) {
			try {
				stopped.join(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** Closes the watch service when nothing is watched; returns its thread, which then ends. */
	private synchronized @Nullable Thread stopIfIdle() {
		if (!this.directories.isEmpty() || this.service == null) {
			return null;
		}
		try {
			this.service.close();
		}
		catch (IOException ex) {
			logger.debug("Failed to close the socket file watch service", ex);
		}
		Thread reader = this.thread;
		this.service = null;
		this.thread = null;
		return reader;
	}

	private void readEvents(WatchService watching) {
		while (true) {
			WatchKey key;
			try {
				key = watching.take();
			}
			catch (ClosedWatchServiceException | InterruptedException ex) {
				return;
			}
			List<Path> names = new ArrayList<>();
			boolean all = false;
			for (WatchEvent<?> event : key.pollEvents()) {
				if (event.context() instanceof Path name) {
					names.add(name);
				}
				else {
					all = true;
				}
			}
			boolean valid = key.reset();
			for (Watch watch : affected(key, names, all || !valid)) {
				watch.check();
			}
			if (!valid) {
				forget(key);
			}
		}
	}

	/**
	 * Drops a directory whose key the kernel dropped (the directory was removed): a listener that
	 * binds there again, once it is made anew, registers a new key.
	 */
	private synchronized void forget(WatchKey key) {
		this.directories.remove(key);
		// on this thread: it ends when it next takes from the closed service
		stopIfIdle();
	}

	private synchronized List<Watch> affected(WatchKey key, List<Path> names, boolean all) {
		List<Watch> affected = new ArrayList<>();
		Directory directory = this.directories.get(key);
		if (directory != null) {
			for (Watch watch : directory.watches) {
				if (all || names.contains(watch.file.path().getFileName())) {
					affected.add(watch);
				}
			}
		}
		return affected;
	}

	private record Directory(WatchKey key, List<Watch> watches) {

		Directory(WatchKey key) {
			this(key, new ArrayList<>());
		}

	}

	/** One watched file, told once. */
	private static final class Watch {

		private final BoundSocketFile<?> file;

		private final Consumer<String> onLost;

		private boolean told;

		private boolean cancelled;

		Watch(BoundSocketFile<?> file, Consumer<String> onLost) {
			this.file = file;
			this.onLost = onLost;
		}

		synchronized void cancel() {
			this.cancelled = true;
		}

		void check() {
			if (this.file.isStillOurs()) {
				return;
			}
			String what;
			try {
				what = (SocketFiles.kindOf(this.file.path()) == SocketFiles.Kind.MISSING) ? "deleted"
						: "replaced by another file";
			}
			catch (IOException ex) {
				what = "made unreadable (" + ex.getMessage() + ")";
			}
			synchronized (this) {
				// cancelled before its owner removed the file: the file being gone is no news
				if (this.told || this.cancelled) {
					return;
				}
				this.told = true;
			}
			try {
				this.onLost.accept(what);
			}
			catch (RuntimeException ex) {
				logger.warn("Failed to report that socket file " + this.file.path() + " was " + what, ex);
			}
		}

	}

}
