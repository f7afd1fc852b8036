package dev.hyperj.chain.node;

import dev.hyperj.chain.db.BlockHeader;
import dev.hyperj.chain.db.BlockOutcome;

/** A block just committed: its header and what it did. */
public record ImportedBlock(BlockHeader header, BlockOutcome outcome) {}
