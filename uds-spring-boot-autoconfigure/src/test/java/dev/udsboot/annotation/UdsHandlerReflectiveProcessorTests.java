package dev.udsboot.annotation;

import java.io.FileDescriptor;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.annotation.ReflectiveRuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.messaging.Message;

import dev.udsboot.listener.UdsReply;
import dev.udsboot.listener.UdsSession;
import dev.udsboot.socket.PeerCredentials;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a native image needs to call {@link UdsHandler} and connection-event methods, as Spring's
 * AOT processing registers it for a bean: the methods, and their JSON payload and return types
 * for binding; not what the socket fills in.
 */
class UdsHandlerReflectiveProcessorTests {

	private final RuntimeHints hints = new RuntimeHints();

	UdsHandlerReflectiveProcessorTests() {
		new ReflectiveRuntimeHintsRegistrar().registerRuntimeHints(this.hints, Handlers.class);
	}

	@Test
	void handlerAndConnectionEventMethodsAreRegisteredForInvocation() {
		for (String method : List.of("order", "withDescriptors", "opened", "closed")) {
			assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Handlers.class, method)).as(method)
				.accepts(this.hints);
		}
	}

	@Test
	void jsonPayloadAndReturnTypesAreRegisteredForBindingAndSocketArgumentsAreNot() {
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Order.class, "item")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(Receipt.class, "total")).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(Line.class)).as("a record within the payload")
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(PeerCredentials.class)).rejects(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(UdsSession.class)).rejects(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(FileDescriptor.class)).rejects(this.hints);
		assertThat(RuntimeHintsPredicates.reflection().onType(UdsReply.class)).rejects(this.hints);
	}

	@Test
	void payloadTypesWithinListsAndMessagesAreRegistered() {
		for (Class<?> type : List.of(InList.class, InMessage.class, InMessageOfList.class)) {
			assertThat(RuntimeHintsPredicates.reflection().onType(type)).as(type.getSimpleName()).accepts(this.hints);
		}
	}

	record InList(int a) {
	}

	record InMessage(int a) {
	}

	record InMessageOfList(int a) {
	}

	record Order(String item, List<Line> lines) {
	}

	record Line(int quantity) {
	}

	record Receipt(int total) {
	}

	static class Handlers {

		@UdsHandler("orders")
		Receipt order(Order order, @Nullable PeerCredentials peer) {
			return new Receipt(order.lines().size());
		}

		@UdsHandler("files")
		UdsReply withDescriptors(String line, FileDescriptor[] received) {
			return UdsReply.of(line, received);
		}

		@UdsHandler("a")
		void list(List<InList> items) {
		}

		@UdsHandler("b")
		void message(Message<InMessage> message) {
		}

		@UdsHandler("c")
		void messageOfList(Message<List<InMessageOfList>> message) {
		}

		@UdsConnectionOpened("orders")
		void opened(UdsSession session) {
		}

		@UdsConnectionClosed("orders")
		void closed(UdsSession session) {
		}

	}

}
