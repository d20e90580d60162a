package dev.udsboot.architecture.cycle.a;

import dev.udsboot.architecture.cycle.b.Right;

/** One half of a deliberate package cycle, for the test that the cycle rule can fail. */
public class Left {

	Right right;

}
