package dev.hyperj.chain.crypto;

import java.util.HexFormat;
import java.util.List;

/**
 * The well-known development accounts (Moonbeam's, as Hypertensor uses them). The private keys
 * below are PUBLIC test keys published in Moonbeam's documentation: never hold real value with them.
 */
public enum DevAccounts {
    ALITH("5fb92d6e98884f76de468fa3f6278f8807c48bebc13595d45af5bdc4da702133"),
    BALTATHAR("8075991ce870b93a8870eca0c0f91913d12f47948ca0fd25b49c6fa7cdbeee8b"),
    CHARLETH("0b6e18cafb6ed99687ec547bd28139cafdd2bffe70e6b688025de6b445aa5c5b"),
    DOROTHY("39539ab1876910bbf3a223d84a29e28f1cb4e2e456503e7e91ed39b2e7223d68"),
    ETHAN("7dce9bc8babb68fec1409be38c8e1a52650206a7ed90ff956ae8a6d15eeaaef4"),
    FAITH("b9d2ea9a615f3165812e8d44de0d24da9bbd164b65c4f0573e1ce2c8dbd9c8df");

    private final String privateKeyHex;
    private final AccountId account;

    DevAccounts(String privateKeyHex) {
        this.privateKeyHex = privateKeyHex;
        this.account = AccountId.fromPrivateKey(HexFormat.of().parseHex(privateKeyHex));
    }

    /** The public development private key, 32 bytes. */
    public byte[] privateKey() {
        return HexFormat.of().parseHex(privateKeyHex);
    }

    public AccountId account() {
        return account;
    }

    public static List<AccountId> all() {
        return java.util.Arrays.stream(values()).map(DevAccounts::account).toList();
    }
}
