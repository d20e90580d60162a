package dev.udsboot.observation;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.udsboot.annotation.UdsHandler;
import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.autoconfigure.client.UdsClientAutoConfiguration;
import dev.udsboot.client.UdsClientException;
import dev.udsboot.client.UdsTemplate;
import dev.udsboot.client.UdsTemplateBuilder;
import dev.udsboot.socket.UdsAddress;
import dev.udsboot.test.LineClient;

import static io.micrometer.observation.tck.TestObservationRegistryAssert.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Micrometer Observations of handled messages and template exchanges, through real sockets:
 * opt-in, globally or per listener; their names, key values and outcomes; the handler in the
 * Observation's scope; a convention of the application's; and spans from a real tracer.
 */
class UdsObservationTests {

	@TempDir
	Path dir;

	private ConfigurableApplicationContext context;

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
	}

	private ConfigurableApplicationContext start(Class<?> registry, String... properties) {
		this.context = new SpringApplicationBuilder(Application.class, registry).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "uds.listeners.orders.path=" + this.dir.resolve("orders.sock"),
					"uds.listeners.quiet.path=" + this.dir.resolve("quiet.sock"))
			.properties(properties)
			.run();
		return this.context;
	}

	private String request(String listener, String line) throws Exception {
		try (LineClient client = LineClient.connect(UdsAddress.ofPath(this.dir.resolve(listener + ".sock")))) {
			return client.request(line);
		}
	}

	@Test
	void eachHandledMessageIsObservedWithItsOutcomeAndTheHandlerRunsInItsScope() throws Exception {
		start(TestRegistry.class, "uds.observations.enabled=true");
		TestObservationRegistry registry = this.context.getBean(TestObservationRegistry.class);
		assertThat(request("orders", "{\"item\":\"tea\"}")).isEqualTo("{\"item\":\"tea\",\"accepted\":true}");
		assertThat(request("orders", "{\"item\":\"fail\"}")).as("the handler failed: closed").isNull();
		assertThat(request("orders", "not json")).startsWith("{\"error\":\"invalid-payload\"");
		assertThat(registry).hasNumberOfObservationsWithNameEqualTo("uds.message", 3)
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo("orders receive")
				.hasLowCardinalityKeyValue("listener", "orders")
				.hasLowCardinalityKeyValue("type", "stream")
				.hasLowCardinalityKeyValue("outcome", "success")
				.hasHighCardinalityKeyValue("uds.message.bytes", "14"))
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("outcome", "error")
				.assertThatError()
				.hasMessageContaining("no fail today"))
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("outcome", "client-error"));
		Handlers handlers = this.context.getBean(Handlers.class);
		assertThat(handlers.observedByHandler).as("the handler's current Observation").first()
			.isInstanceOf(UdsMessageObservationContext.class);
		assertThat(request("quiet", "x")).isEqualTo("x");
		assertThat(registry).hasNumberOfObservationsWithNameEqualTo("uds.message", 4);
	}

	@Test
	void observationIsOffByDefaultAndSwitchedPerListener() throws Exception {
		start(TestRegistry.class, "uds.listeners.orders.observation-enabled=true");
		TestObservationRegistry registry = this.context.getBean(TestObservationRegistry.class);
		request("orders", "{\"item\":\"tea\"}");
		request("quiet", "not observed");
		// one observed message, and it is the one orders handled: quiet's is not observed
		assertThat(registry).hasNumberOfObservationsWithNameEqualTo("uds.message", 1)
			.hasAnObservationWithAKeyValue("listener", "orders");
		close();
		start(TestRegistry.class, "uds.observations.enabled=true", "uds.listeners.quiet.observation-enabled=false");
		TestObservationRegistry again = this.context.getBean(TestObservationRegistry.class);
		request("quiet", "not observed");
		request("orders", "{\"item\":\"tea\"}");
		assertThat(again).hasNumberOfObservationsWithNameEqualTo("uds.message", 1)
			.hasAnObservationWithAKeyValue("listener", "orders");
	}

	@Test
	void aConventionBeanReplacesTheDefault() throws Exception {
		start(CustomConvention.class, "uds.observations.enabled=true");
		TestObservationRegistry registry = this.context.getBean(TestObservationRegistry.class);
		request("orders", "{\"item\":\"tea\"}");
		assertThat(registry).hasObservationWithNameEqualTo("orders.handled")
			.that()
			.hasLowCardinalityKeyValue("listener", "orders")
			.hasLowCardinalityKeyValue("team", "billing");
	}

	@Test
	void theAutoConfiguredTemplatesObserveEachExchange() throws Exception {
		start(TestRegistry.class, "uds.observations.enabled=true", "uds.listeners.orders.observation-enabled=false");
		TestObservationRegistry registry = this.context.getBean(TestObservationRegistry.class);
		UdsAddress orders = UdsAddress.ofPath(this.dir.resolve("orders.sock"));
		try (UdsTemplate template = this.context.getBean(UdsTemplateBuilder.class).target(orders).build()) {
			assertThat(template.sendAndReceive(new Order("tea"), String.class)).contains("accepted");
			template.send(new Order("cake"));
		}
		try (UdsTemplate nowhere = this.context.getBean(UdsTemplateBuilder.class)
			.target(UdsAddress.ofPath(this.dir.resolve("nowhere.sock")))
			.build()) {
			assertThatExceptionOfType(UdsClientException.class).isThrownBy(() -> nowhere.send("lost"));
		}
		assertThat(registry).hasNumberOfObservationsWithNameEqualTo("uds.client.exchange", 3)
			.hasAnObservation((observation) -> observation.hasContextualNameEqualTo(orders + " send")
				.hasLowCardinalityKeyValue("target", orders.toString())
				.hasLowCardinalityKeyValue("exchange", "request-reply")
				.hasLowCardinalityKeyValue("outcome", "success"))
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("exchange", "one-way")
				.hasLowCardinalityKeyValue("outcome", "success"))
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("outcome", "error")
				.assertThatError()
				.isInstanceOf(UdsClientException.class));
	}

	@Test
	void aTracerMakesASpanPerMessageAndTheHandlersWorkIsItsChild() throws Exception {
		start(Tracing.class, "uds.observations.enabled=true");
		SimpleTracer tracer = this.context.getBean(SimpleTracer.class);
		request("orders", "{\"item\":\"tea\"}");
		SimpleSpan received = tracer.getSpans()
			.stream()
			.filter((span) -> "orders receive".equals(span.getName()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No span 'orders receive' in " + tracer.getSpans()));
		assertThat(received.getTags()).containsEntry("listener", "orders").containsEntry("outcome", "success");
		SimpleSpan handlerWork = tracer.getSpans()
			.stream()
			.filter((span) -> "pricing".equals(span.getName()))
			.findFirst()
			.orElseThrow();
		assertThat(handlerWork.getParentId()).isEqualTo(received.getSpanId());
		assertThat(handlerWork.getTraceId()).isEqualTo(received.getTraceId());
	}

	/** A request. */
	record Order(String item) {
	}

	/** A reply. */
	record Confirmation(String item, boolean accepted) {
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ UdsAutoConfiguration.class, UdsClientAutoConfiguration.class,
			JacksonAutoConfiguration.class })
	static class Application {

		@Bean
		Handlers handlers(ObservationRegistry registry) {
			return new Handlers(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TestRegistry {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomConvention {

		@Bean
		TestObservationRegistry observationRegistry() {
			return TestObservationRegistry.create();
		}

		@Bean
		UdsObservationConvention teamConvention() {
			return new DefaultUdsObservationConvention() {

				@Override
				public String getName() {
					return "orders.handled";
				}

				@Override
				public io.micrometer.common.KeyValues getLowCardinalityKeyValues(
						UdsMessageObservationContext context) {
					return super.getLowCardinalityKeyValues(context).and("team", "billing");
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Tracing {

		@Bean
		SimpleTracer tracer() {
			return new SimpleTracer();
		}

		@Bean
		ObservationRegistry observationRegistry(SimpleTracer tracer) {
			ObservationRegistry registry = ObservationRegistry.create();
			registry.observationConfig().observationHandler(new DefaultTracingObservationHandler(tracer));
			return registry;
		}

	}

	/** The handlers; {@code orders} observes its own work, as an application's code would. */
	static class Handlers {

		final List<Observation.@Nullable Context> observedByHandler = new CopyOnWriteArrayList<>();

		private final ObservationRegistry registry;

		Handlers(ObservationRegistry registry) {
			this.registry = registry;
		}

		@UdsHandler("orders")
		Confirmation order(Order order) {
			Observation current = this.registry.getCurrentObservation();
			this.observedByHandler.add((current != null) ? current.getContext() : null);
			if (order.item().equals("fail")) {
				throw new IllegalStateException("no fail today");
			}
			return Observation.createNotStarted("pricing", this.registry)
				.observe(() -> new Confirmation(order.item(), true));
		}

		@UdsHandler("quiet")
		String quiet(String line) {
			return line;
		}

	}

}
