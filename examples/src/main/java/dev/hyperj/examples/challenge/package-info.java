/**
 * What the example subnets share about their epoch challenges: {@link
 * dev.hyperj.examples.challenge.RevealedAnswers}, each epoch's answer committed through the
 * framework's commit/reveal and the reveals that count, and {@link
 * dev.hyperj.examples.challenge.EpochRandomness}, the chain randomness a challenge is drawn from so
 * that it cannot be answered before its epoch.
 */
package dev.hyperj.examples.challenge;
