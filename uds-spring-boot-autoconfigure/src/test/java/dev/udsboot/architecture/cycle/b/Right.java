package dev.udsboot.architecture.cycle.b;

import dev.udsboot.architecture.cycle.a.Left;

/** The other half of a deliberate package cycle, for the test that the cycle rule can fail. */
public class Right {

	Left left;

}
