package dev.udsboot.systemd;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.aot.AbstractAotProcessor;

import dev.udsboot.autoconfigure.UdsAutoConfiguration;
import dev.udsboot.autoconfigure.systemd.UdsSystemdAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The systemd beans as an AOT-processed application has them (the conditions matched while it was
 * processed), started without {@code NOTIFY_SOCKET} and without listeners (a client-only
 * application): nothing is sent and nothing said about systemd.
 */
@ExtendWith(OutputCaptureExtension.class)
class SystemdUnderAotTests {

	@Test
	void anAotAppWithoutSystemdAndWithoutListenersSaysNothingAboutSystemd(CapturedOutput output) {
		ConfigurableApplicationContext context;
		System.setProperty(AbstractAotProcessor.AOT_PROCESSING, "true");
		try {
			SpringApplication application = new SpringApplication(App.class);
			application.setWebApplicationType(WebApplicationType.NONE);
			context = application.run("--spring.main.banner-mode=off", "--NOTIFY_SOCKET=", "--WATCHDOG_USEC=");
		}
		finally {
			System.clearProperty(AbstractAotProcessor.AOT_PROCESSING);
		}
		try (context) {
			assertThat(context.getBean(SystemdNotifier.class).getNotifySocket()).isNull();
		}
		assertThat(output.getOut()).doesNotContain("systemd");
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ UdsAutoConfiguration.class, JacksonAutoConfiguration.class,
			UdsSystemdAutoConfiguration.class })
	static class App {

	}

}
