package dev.udsboot.sample;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The seed tutorial's clients, compiled unmodified, against the {@code seed} profile in this JVM.
 * The context is closed after the class: the seed's socket paths are fixed, and
 * {@link AotSeedProfileTests} binds them too.
 */
@SpringBootTest(properties = { "spring.profiles.active=seed", "uds.sample.dir=${java.io.tmpdir}/uds-sample-seed-test" })
@ExtendWith(OutputCaptureExtension.class)
@DirtiesContext
class SeedProfileTests extends SeedClientChecks {

	private CapturedOutput output;

	@BeforeEach
	void capture(CapturedOutput output) {
		this.output = output;
	}

	@Override
	String serverOutput() {
		return this.output.toString();
	}

}
