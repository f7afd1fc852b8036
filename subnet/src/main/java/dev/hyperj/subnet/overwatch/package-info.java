/**
 * The seam between a subnet and the overwatch agents that judge it: a subnet declares an
 * {@link dev.hyperj.subnet.overwatch.OverwatchCheck} (a request and how to judge its answer) so
 * that overwatch nodes weigh its useful work, not only whether its nodes answer at all.
 */
package dev.hyperj.subnet.overwatch;
