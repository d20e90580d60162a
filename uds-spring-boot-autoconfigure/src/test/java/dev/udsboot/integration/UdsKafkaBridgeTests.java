package dev.udsboot.integration;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.config.EnableIntegration;
import org.springframework.integration.dsl.IntegrationFlow;
import org.springframework.integration.kafka.dsl.Kafka;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.messaging.Message;

import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.client.UdsTemplate;
import dev.udsboot.socket.UdsAddress;
import dev.udsboot.test.RequiredTools;

import static dev.udsboot.test.ClientProcess.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * From a local socket to a real broker and back: lines a {@code python3} client writes to a Unix
 * domain socket flow through an {@code IntegrationFlow} to Kafka (an embedded KRaft broker, one
 * for the class), where a plain Kafka consumer reads them with the caller's credentials in their
 * headers; and records produced to Kafka are sent by an outbound gateway to a {@code socat} echo
 * server, whose replies the flow passes on.
 */
class UdsKafkaBridgeTests {

	private static EmbeddedKafkaKraftBroker broker;

	@TempDir
	Path dir;

	private ConfigurableApplicationContext context;

	private Process socat;

	@BeforeAll
	static void startBroker() {
		broker = new EmbeddedKafkaKraftBroker(1, 1, "uds-in", "uds-out");
		broker.afterPropertiesSet();
	}

	@AfterAll
	static void stopBroker() {
		broker.destroy();
	}

	@AfterEach
	void close() {
		if (this.context != null) {
			this.context.close();
		}
		if (this.socat != null) {
			this.socat.destroy();
		}
	}

	@Test
	void linesFromAUnixSocketReachKafkaWithTheCallersCredentialsAndRecordsFromKafkaReachASocatServer()
			throws Exception {
		Path echo = this.dir.resolve("socat-echo.sock");
		this.socat = new ProcessBuilder(RequiredTools.require("socat"), "UNIX-LISTEN:" + echo + ",fork", "EXEC:cat")
			.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(echo));
		this.context = new SpringApplicationBuilder(Bridge.class).web(WebApplicationType.NONE)
			.properties("spring.main.banner-mode=off", "uds.listeners.orders.path=" + this.dir.resolve("orders.sock"),
					"test.brokers=" + broker.getBrokersAsString(), "test.echo=" + echo)
			.run();

		String python = """
				import os, socket, sys
				s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
				s.connect(sys.argv[1])
				s.sendall(b'order 1\\norder 2\\n')
				s.close()
				print(os.getpid(), os.geteuid())
				""";
		String[] client = run(List.of(RequiredTools.require("python3"), "-c", python,
				this.dir.resolve("orders.sock").toString()), "").strip().split(" ");
		List<ConsumerRecord<byte[], byte[]>> records = consume("uds-in", 2);
		assertThat(records).extracting((record) -> new String(record.value(), StandardCharsets.UTF_8))
			.containsExactly("order 1", "order 2");
		for (ConsumerRecord<byte[], byte[]> record : records) {
			assertThat(header(record, UdsIntegrationHeaders.PEER_PID)).isEqualTo(client[0]);
			assertThat(header(record, UdsIntegrationHeaders.PEER_UID)).isEqualTo(client[1]);
			assertThat(header(record, UdsIntegrationHeaders.LISTENER)).isEqualTo("orders");
		}

		try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
				ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString()), new ByteArraySerializer(),
				new ByteArraySerializer())) {
			producer.send(new ProducerRecord<>("uds-out", "from kafka".getBytes(StandardCharsets.UTF_8))).get();
		}
		Message<?> reply = this.context.getBean("replies", QueueChannel.class).receive(30_000);
		assertThat(reply).isNotNull();
		assertThat(reply.getPayload()).isEqualTo("from kafka");
		this.context.close();
		// the flows' Kafka clients end with the context: none is left to retry a broker that goes
		await().atMost(Duration.ofSeconds(10)).until(() -> kafkaThreads() == 0);
	}

	private static long kafkaThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().contains("kafka-producer-network-thread"))
			.count();
	}

	private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
		Header header = record.headers().lastHeader(name);
		assertThat(header).as(name).isNotNull();
		return new String(header.value(), StandardCharsets.UTF_8);
	}

	private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int count) {
		List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
		try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
				ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.getBrokersAsString(), ConsumerConfig.GROUP_ID_CONFIG,
				"test-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(),
				new ByteArrayDeserializer())) {
			consumer.subscribe(List.of(topic));
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (records.size() < count && System.nanoTime() < deadline) {
				consumer.poll(Duration.ofMillis(500)).forEach(records::add);
			}
		}
		return records;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableIntegration
	@ImportAutoConfiguration({ UdsAutoConfiguration.class, JacksonAutoConfiguration.class })
	static class Bridge {

		/** A bean, so that the context closes its producer. */
		@Bean
		DefaultKafkaProducerFactory<byte[], byte[]> producerFactory(Environment environment) {
			return new DefaultKafkaProducerFactory<>(
					Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.getRequiredProperty("test.brokers")),
					new ByteArraySerializer(), new ByteArraySerializer());
		}

		@Bean
		KafkaTemplate<byte[], byte[]> kafkaTemplate(DefaultKafkaProducerFactory<byte[], byte[]> producerFactory) {
			return new KafkaTemplate<>(producerFactory);
		}

		@Bean
		IntegrationFlow toKafka(KafkaTemplate<byte[], byte[]> kafkaTemplate) {
			return IntegrationFlow.from(Uds.inboundAdapter("orders"))
				.handle(Kafka.outboundChannelAdapter(kafkaTemplate).topic("uds-in"))
				.get();
		}

		@Bean
		UdsTemplate echoTemplate(Environment environment) {
			return UdsTemplate.builder(UdsAddress.ofPath(Path.of(environment.getRequiredProperty("test.echo")))).build();
		}

		@Bean
		QueueChannel replies() {
			return new QueueChannel();
		}

		@Bean
		IntegrationFlow fromKafka(Environment environment, UdsTemplate echoTemplate, QueueChannel replies) {
			return IntegrationFlow
				.from(Kafka.messageDrivenChannelAdapter(new DefaultKafkaConsumerFactory<>(
						Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.getRequiredProperty("test.brokers"),
								ConsumerConfig.GROUP_ID_CONFIG, "bridge", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
								"earliest"),
						new ByteArrayDeserializer(), new ByteArrayDeserializer()), "uds-out"))
				.handle(Uds.outboundGateway(echoTemplate, String.class))
				.channel(replies)
				.get();
		}

	}

}
