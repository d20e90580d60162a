package dev.udsboot.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The package rules of the starter, checked on its compiled classes: dependencies point one way,
 * from the auto-configuration down to sockets and framing (see each package's
 * {@code package-info.java} for the flow).
 */
class ArchitectureTests {

	private static final JavaClasses STARTER = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.udsboot");

	/** Every package of the starter, as its own slice. */
	static final ArchRule NO_CYCLES = slices().matching("dev.udsboot.(**)").should().beFreeOfCycles();

	@Test
	void packagesHaveNoCycles() {
		NO_CYCLES.check(STARTER);
	}

	@Test
	void theCycleRuleFailsOnACycle() {
		// two packages of test classes that use each other: the rule above must report them
		JavaClasses cyclic = new ClassFileImporter().importPackages("dev.udsboot.architecture.cycle");
		EvaluationResult result = slices().matching("dev.udsboot.architecture.cycle.(*)..")
			.should()
			.beFreeOfCycles()
			.evaluate(cyclic);
		assertThat(result.hasViolation()).isTrue();
		assertThat(result.getFailureReport().toString()).contains("Cycle detected");
	}

	@Test
	void socketsAndFramingKnowNothingOfListeners() {
		noClasses().that()
			.resideInAnyPackage("dev.udsboot.socket..", "dev.udsboot.framing..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.udsboot.listener..", "dev.udsboot.invocation..", "dev.udsboot.config..",
					"dev.udsboot.annotation..", "dev.udsboot.client..", "dev.udsboot.health..",
					"dev.udsboot.metrics..", "dev.udsboot.management..", "dev.udsboot.systemd..",
					"dev.udsboot.observation..", "dev.udsboot.integration..", "dev.udsboot.autoconfigure..")
			.check(STARTER);
	}

	@Test
	void framingKnowsNoSocketLibrary() {
		noClasses().that()
			.resideInAPackage("dev.udsboot.framing..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("org.newsclub..")
			.check(STARTER);
	}

	@Test
	void aClassOverFourHundredLinesSaysWhyInItsJavadoc() throws IOException {
		// "~400 lines": a class a little over is let through; a longer one explains itself
		List<String> unexplained = new ArrayList<>();
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).toList()) {
				String text = Files.readString(source);
				if (text.lines().count() > 420 && !text.contains(" * Long because ")) {
					unexplained.add(source + " (" + text.lines().count() + " lines)");
				}
			}
		}
		assertThat(unexplained).as("classes over ~400 lines without \"Long because\" in their javadoc").isEmpty();
	}

	@Test
	void onlyTheAutoConfigurationKnowsTheAutoConfiguration() {
		noClasses().that()
			.resideOutsideOfPackage("dev.udsboot.autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.udsboot.autoconfigure..")
			.check(STARTER);
	}

	@Test
	void theListenerCoreKnowsNoContainerHandlerOrConfiguration() {
		noClasses().that()
			.resideInAPackage("dev.udsboot.listener")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.udsboot.listener.stream..", "dev.udsboot.listener.datagram..",
					"dev.udsboot.invocation..", "dev.udsboot.config..", "dev.udsboot.annotation..",
					"dev.udsboot.health..", "dev.udsboot.metrics..", "dev.udsboot.client..",
					"dev.udsboot.observation..", "dev.udsboot.integration..")
			.check(STARTER);
	}

	@Test
	void containersAndInvocationKnowNoConfiguration() {
		noClasses().that()
			.resideInAnyPackage("dev.udsboot.listener..", "dev.udsboot.invocation..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.udsboot.config..", "dev.udsboot.annotation..")
			.check(STARTER);
	}

	@Test
	void containersDoNotKnowEachOtherOrTheHandlers() {
		noClasses().that()
			.resideInAnyPackage("dev.udsboot.listener.stream..", "dev.udsboot.listener.datagram..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.udsboot.invocation..")
			.check(STARTER);
		noClasses().that()
			.resideInAPackage("dev.udsboot.listener.stream..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.udsboot.listener.datagram..")
			.check(STARTER);
		noClasses().that()
			.resideInAPackage("dev.udsboot.listener.datagram..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.udsboot.listener.stream..")
			.check(STARTER);
	}

	@Test
	void theSystemdNotificationsKnowNoListenerHandlerOrConfiguration() {
		// what "ready" and "healthy" mean is handed in by the auto-configuration, which wires it
		classes().that()
			.resideInAPackage("dev.udsboot.systemd..")
			.should()
			.onlyDependOnClassesThat(resideOutsideOfPackage("dev.udsboot..").or(resideInAPackage("dev.udsboot.systemd..")))
			.check(STARTER);
		noClasses().that()
			.resideOutsideOfPackages("dev.udsboot.autoconfigure..", "dev.udsboot.systemd..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.udsboot.systemd..")
			.check(STARTER);
	}

	@Test
	void theRuntimeIsIndependentOfTheSpringBootModules() {
		// the runtime works without auto-configuration, as Spring Boot's own modules do
		noClasses().that()
			.resideOutsideOfPackages("dev.udsboot.autoconfigure..", "dev.udsboot.testsupport..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.boot.autoconfigure..")
			.check(STARTER);
	}

}
