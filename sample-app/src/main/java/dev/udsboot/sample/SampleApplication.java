package dev.udsboot.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The sample application: serves the listeners of {@code application.yml}, and with the
 * {@code seed} profile the seed tutorial's servers on their own paths.
 */
@SpringBootApplication
public class SampleApplication {

	/**
	 * Starts the application.
	 * @param args command-line arguments, e.g. {@code --spring.profiles.active=seed}
	 */
	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}
