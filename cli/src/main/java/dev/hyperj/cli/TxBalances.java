package dev.hyperj.cli;

import dev.hyperj.chain.runtime.Call;
import dev.hyperj.cli.TxCommand.Tx;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code hyperj tx transfer}: moving TENSOR between accounts. */
final class TxBalances {
    private TxBalances() {}

    @Command(name = "transfer", description = "Send TENSOR to an account.")
    static final class Transfer extends Tx<Call.Transfer> {
        @Parameters(index = "0", paramLabel = "<to>", description = "Destination: 0x address or dev account name.")
        String to;

        @Parameters(
                index = "1",
                paramLabel = "<amount>",
                description = "Amount in TENSOR (1.5) or smallest units (1000u).")
        String amount;

        Call.Transfer call() {
            return new Call.Transfer(ChainArgs.account(to), ChainArgs.amount(amount));
        }
    }
}
