package dev.hyperj.cli;

import dev.hyperj.chain.math.U128;
import dev.hyperj.chain.runtime.Call;
import dev.hyperj.cli.TxCommand.Group;
import dev.hyperj.cli.TxCommand.IdToShares;
import dev.hyperj.cli.TxCommand.IdValue;
import dev.hyperj.cli.TxCommand.NodeAmount;
import dev.hyperj.cli.TxCommand.Tx;
import java.math.BigInteger;
import picocli.CommandLine.Command;

/** Node stake, unbondings, and delegate stake on subnets ({@code delegate}) and validators ({@code validator-delegate}). */
final class TxStakes {
    private TxStakes() {}

    @Command(name = "add-stake", description = "Add stake to a node.")
    static final class AddStake extends NodeAmount<Call.AddNodeStake> {
        Call.AddNodeStake call() {
            return new Call.AddNodeStake(at.subnet, at.node, ChainArgs.amount(amount));
        }
    }

    @Command(name = "remove-stake", description = "Unbond stake from a node (claim after the cooldown).")
    static final class RemoveStake extends NodeAmount<Call.RemoveNodeStake> {
        Call.RemoveNodeStake call() {
            return new Call.RemoveNodeStake(at.subnet, at.node, ChainArgs.amount(amount));
        }
    }

    @Command(name = "claim-unbondings", description = "Claim matured unbondings.")
    static final class ClaimUnbondings extends Tx<Call.ClaimUnbondings> {
        Call.ClaimUnbondings call() {
            return new Call.ClaimUnbondings();
        }
    }

    @Command(
            name = "delegate",
            description = "Subnet delegate stake.",
            mixinStandardHelpOptions = true,
            subcommands = {
                DelegateAdd.class,
                DelegateRemove.class,
                DelegateTransfer.class,
                DelegateSwap.class,
                DelegateSwapToValidator.class,
                DelegateDonate.class
            })
    static final class Delegate extends Group {}

    @Command(name = "add", description = "Stake TENSOR on a subnet: <subnet> <TENSOR>.")
    static final class DelegateAdd extends IdValue<Call.AddDelegateStake> {
        Call.AddDelegateStake call() {
            return new Call.AddDelegateStake(id, ChainArgs.amount(value));
        }
    }

    @Command(name = "remove", description = "Unstake shares from a subnet: <subnet> <shares>.")
    static final class DelegateRemove extends IdValue<Call.RemoveDelegateStake> {
        Call.RemoveDelegateStake call() {
            return new Call.RemoveDelegateStake(id, shares(value));
        }
    }

    @Command(name = "transfer", description = "Give subnet shares to an account: <subnet> <to> <shares>.")
    static final class DelegateTransfer extends IdToShares<Call.TransferDelegateStake> {
        Call.TransferDelegateStake call() {
            return new Call.TransferDelegateStake(id, ChainArgs.account(to), shares(shares));
        }
    }

    @Command(name = "swap", description = "Move subnet shares to another subnet: <from subnet> <to subnet> <shares>.")
    static final class DelegateSwap extends IdToShares<Call.SwapFromSubnetToSubnet> {
        Call.SwapFromSubnetToSubnet call() {
            return new Call.SwapFromSubnetToSubnet(id, toId(), shares(shares));
        }
    }

    @Command(
            name = "swap-to-validator",
            description = "Move subnet shares to a validator: <from subnet> <to validator> <shares>.")
    static final class DelegateSwapToValidator extends IdToShares<Call.SwapFromSubnetToValidator> {
        Call.SwapFromSubnetToValidator call() {
            return new Call.SwapFromSubnetToValidator(id, toId(), shares(shares));
        }
    }

    @Command(name = "donate", description = "Donate TENSOR to a subnet's delegators: <subnet> <TENSOR>.")
    static final class DelegateDonate extends IdValue<Call.DonateDelegateStake> {
        Call.DonateDelegateStake call() {
            return new Call.DonateDelegateStake(id, ChainArgs.amount(value));
        }
    }

    @Command(
            name = "validator-delegate",
            description = "Validator delegate stake.",
            mixinStandardHelpOptions = true,
            subcommands = {
                ValidatorDelegateAdd.class,
                ValidatorDelegateRemove.class,
                ValidatorDelegateTransfer.class,
                ValidatorDelegateSwap.class,
                ValidatorDelegateSwapToSubnet.class,
                ValidatorDelegateDonate.class
            })
    static final class ValidatorDelegate extends Group {}

    @Command(name = "add", description = "Stake TENSOR on a validator: <validator> <TENSOR>.")
    static final class ValidatorDelegateAdd extends IdValue<Call.AddValidatorDelegateStake> {
        Call.AddValidatorDelegateStake call() {
            return new Call.AddValidatorDelegateStake(id, ChainArgs.amount(value));
        }
    }

    @Command(name = "remove", description = "Unstake shares from a validator: <validator> <shares>.")
    static final class ValidatorDelegateRemove extends IdValue<Call.RemoveValidatorDelegateStake> {
        Call.RemoveValidatorDelegateStake call() {
            return new Call.RemoveValidatorDelegateStake(id, shares(value));
        }
    }

    @Command(name = "transfer", description = "Give validator shares to an account: <validator> <to> <shares>.")
    static final class ValidatorDelegateTransfer extends IdToShares<Call.TransferValidatorDelegateStake> {
        Call.TransferValidatorDelegateStake call() {
            return new Call.TransferValidatorDelegateStake(id, ChainArgs.account(to), shares(shares));
        }
    }

    @Command(name = "swap", description = "Move validator shares to another validator: <from> <to> <shares>.")
    static final class ValidatorDelegateSwap extends IdToShares<Call.SwapFromValidatorToValidator> {
        Call.SwapFromValidatorToValidator call() {
            return new Call.SwapFromValidatorToValidator(id, toId(), shares(shares));
        }
    }

    @Command(
            name = "swap-to-subnet",
            description = "Move validator shares to a subnet: <from validator> <to subnet> <shares>.")
    static final class ValidatorDelegateSwapToSubnet extends IdToShares<Call.SwapFromValidatorToSubnet> {
        Call.SwapFromValidatorToSubnet call() {
            return new Call.SwapFromValidatorToSubnet(id, toId(), shares(shares));
        }
    }

    @Command(name = "donate", description = "Donate TENSOR to a validator's delegators: <validator> <TENSOR>.")
    static final class ValidatorDelegateDonate extends IdValue<Call.DonateValidatorDelegateStake> {
        Call.DonateValidatorDelegateStake call() {
            return new Call.DonateValidatorDelegateStake(id, ChainArgs.amount(value));
        }
    }

    /** A share count: a non-negative integer within u128. */
    static BigInteger shares(String s) {
        try {
            BigInteger v = new BigInteger(s);
            if (v.signum() < 0 || !U128.isValid(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new CliException("'" + s + "' is not a share count (an integer; see 'hyperj query stakes')");
        }
    }
}
