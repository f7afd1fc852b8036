package dev.hyperj.cli;

import dev.hyperj.chain.runtime.Call;
import dev.hyperj.cli.TxCommand.DelegateAccountOptions;
import dev.hyperj.cli.TxCommand.IdentityOptions;
import dev.hyperj.cli.TxCommand.Tx;
import dev.hyperj.cli.TxCommand.ValidatorArg;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code hyperj tx register-validator} and {@code update-validator-*}: a validator's registration, keys, rate and identity. */
final class TxValidators {
    private TxValidators() {}

    @Command(name = "register-validator", description = "Register the signer (coldkey) as a validator.")
    static final class RegisterValidator extends Tx<Call.RegisterValidator> {
        @Option(names = "--hotkey", required = true, description = "Hotkey account (must differ from the coldkey).")
        String hotkey;

        @Option(
                names = "--reward-rate",
                defaultValue = "10",
                description = "Delegate reward rate in %%, default ${DEFAULT-VALUE}.")
        String rewardRate;

        @Mixin
        IdentityOptions identity;

        @Mixin
        DelegateAccountOptions delegate;

        Call.RegisterValidator call() {
            return new Call.RegisterValidator(
                    ChainArgs.account(hotkey), ChainArgs.percent(rewardRate), delegate.value(), identity.identity());
        }
    }

    @Command(
            name = "update-validator-coldkey",
            description = "Move a validator to a new coldkey (current coldkey signs).")
    static final class UpdateValidatorColdkey extends Tx<Call.UpdateValidatorColdkey> {
        @Mixin
        ValidatorArg v;

        @Parameters(index = "1", paramLabel = "<coldkey>")
        String coldkey;

        Call.UpdateValidatorColdkey call() {
            return new Call.UpdateValidatorColdkey(v.id, ChainArgs.account(coldkey));
        }
    }

    @Command(name = "update-validator-hotkey", description = "Give a validator a new, unused hotkey (coldkey signs).")
    static final class UpdateValidatorHotkey extends Tx<Call.UpdateValidatorHotkey> {
        @Mixin
        ValidatorArg v;

        @Parameters(index = "1", paramLabel = "<hotkey>")
        String hotkey;

        Call.UpdateValidatorHotkey call() {
            return new Call.UpdateValidatorHotkey(v.id, ChainArgs.account(hotkey));
        }
    }

    @Command(
            name = "update-validator-reward-rate",
            description = "Change a validator's delegate reward rate in %% (once per 14,400 blocks).")
    static final class UpdateValidatorRewardRate extends Tx<Call.UpdateValidatorDelegateRewardRate> {
        @Mixin
        ValidatorArg v;

        @Parameters(index = "1", paramLabel = "<percent>")
        String rate;

        Call.UpdateValidatorDelegateRewardRate call() {
            return new Call.UpdateValidatorDelegateRewardRate(v.id, ChainArgs.percent(rate));
        }
    }

    @Command(
            name = "update-validator-delegate-account",
            description = "Set (or with no --delegate-account, clear) a validator's delegate account.")
    static final class UpdateValidatorDelegateAccount extends Tx<Call.UpdateValidatorDelegateAccount> {
        @Mixin
        ValidatorArg v;

        @Mixin
        DelegateAccountOptions delegate;

        Call.UpdateValidatorDelegateAccount call() {
            return new Call.UpdateValidatorDelegateAccount(v.id, delegate.value());
        }
    }

    @Command(name = "update-validator-identity", description = "Replace a validator's identity (name, url, ...).")
    static final class UpdateValidatorIdentity extends Tx<Call.UpdateValidatorIdentity> {
        @Mixin
        ValidatorArg v;

        @Mixin
        IdentityOptions identity;

        Call.UpdateValidatorIdentity call() {
            return new Call.UpdateValidatorIdentity(v.id, identity.identity());
        }
    }
}
