package dev.udsboot.observation;

import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;

import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * Runs one observed call, a handled message or a template exchange, the same way for both: in the
 * Observation's scope, its outcome ({@link UdsOutcome#UNKNOWN} until then) set before it stops
 * (the convention reads it then), a failure recorded as its error and thrown on.
 */
public final class ObservedCall {

	private ObservedCall() {
	}

	/**
	 * Starts the Observation, runs the call in its scope, and stops it.
	 * @param <T> what the call returns
	 * @param observation the Observation, not started
	 * @param outcome sets the context's outcome once the call has ended
	 * @param clientError tells the caller's mistakes from other failures
	 * @param call the call
	 * @return what the call returned
	 */
	public static <T> @Nullable T run(Observation observation, Consumer<UdsOutcome> outcome,
			Predicate<RuntimeException> clientError, Supplier<@Nullable T> call) {
		observation.start();
		try (Observation.Scope scope = observation.openScope()) {
			T result = call.get();
			outcome.accept(UdsOutcome.SUCCESS);
			return result;
		}
		catch (RuntimeException ex) {
			outcome.accept(clientError.test(ex) ? UdsOutcome.CLIENT_ERROR : UdsOutcome.ERROR);
			observation.error(ex);
			throw ex;
		}
		catch (Error ex) {
			outcome.accept(UdsOutcome.ERROR);
			observation.error(ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

}
