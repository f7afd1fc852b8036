package dev.hyperj.chain.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AccountsTest {
    @Test
    void devAccountsHaveTheirWellKnownAddresses() {
        // Addresses published with Moonbeam's development keys.
        assertThat(DevAccounts.ALITH.account())
                .isEqualTo(AccountId.fromHex("0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac"));
        assertThat(DevAccounts.BALTATHAR.account())
                .isEqualTo(AccountId.fromHex("0x3Cd0A705a2DC65e5b1E1205896BaA2be8A07c6e0"));
        assertThat(DevAccounts.CHARLETH.account())
                .isEqualTo(AccountId.fromHex("0x798d4Ba9baf0064Ec19eB4F0a1a45785ae9D6DFc"));
        assertThat(DevAccounts.DOROTHY.account())
                .isEqualTo(AccountId.fromHex("0x773539d4Ac0e786233D90A233654ccEE26a613D9"));
        assertThat(DevAccounts.ETHAN.account())
                .isEqualTo(AccountId.fromHex("0xFf64d3F6efE2317EE2807d223a0Bdc4c0c49dfDB"));
        assertThat(DevAccounts.FAITH.account())
                .isEqualTo(AccountId.fromHex("0xC0F0f4ab324C46e55D02D0033343B4Be8A55532d"));
    }

    @Test
    void hashesMatchKnownVectors() {
        // keccak-256("") and blake2b-256("abc") reference values.
        assertThat(HexFormat.of().formatHex(Hashing.keccak256(new byte[0])))
                .isEqualTo("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
        assertThat(HexFormat.of().formatHex(Hashing.blake2b256("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    }

    @Test
    void accountIdIsValueTypeAndValidatesLength() {
        AccountId a = AccountId.fromHex("0x" + "11".repeat(20));
        byte[] raw = a.bytes();
        raw[0] = 0;
        assertThat(a.bytes()[0]).isEqualTo((byte) 0x11);
        assertThat(a).isEqualTo(AccountId.of(HexFormat.of().parseHex("11".repeat(20))));
        assertThatThrownBy(() -> AccountId.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
        assertThat(AccountId.forModule("treasury")).isNotEqualTo(AccountId.forModule("burn"));
    }
}
