package dev.hyperj.chain.runtime;

import static dev.hyperj.chain.math.U128.percent;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hyperj.chain.crypto.AccountId;
import dev.hyperj.chain.crypto.DevAccounts;
import dev.hyperj.chain.rpc.ChainJson;
import dev.hyperj.chain.runtime.Event.SubnetOwnerUpdate;
import dev.hyperj.chain.runtime.Event.SubnetOwnerUpdate.Setting;
import dev.hyperj.chain.scale.Scale;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The owner's calls name what they changed with a typed {@link Setting}; the event's wire form is what it always was. */
class SubnetOwnerUpdateTest {
    private static final AccountId ALITH = DevAccounts.ALITH.account();

    @Test
    void eachOwnerCallNamesItsSetting() {
        Scenario sc = new Scenario();
        int sid = sc.activatedSubnet("owned", 3).subnetId();
        assertThat(setting(sc.ok(ALITH, new Call.OwnerUpdateName(sid, "renamed"))))
                .isEqualTo(Setting.NAME);
        assertThat(setting(sc.ok(ALITH, new Call.OwnerUpdateRepo(sid, "github.com/x/renamed"))))
                .isEqualTo(Setting.REPO);
        assertThat(setting(sc.ok(ALITH, new Call.OwnerUpdateDescription(sid, "d"))))
                .isEqualTo(Setting.DESCRIPTION);
        assertThat(setting(sc.ok(ALITH, new Call.OwnerUpdateMisc(sid, "m")))).isEqualTo(Setting.MISC);
        assertThat(setting(sc.ok(ALITH, new Call.OwnerUpdateChurnLimit(sid, 8))))
                .isEqualTo(Setting.CHURN_LIMIT);
        assertThat(setting(sc.ok(ALITH, new Call.OwnerUpdateMinSubnetNodeReputation(sid, percent(20)))))
                .isEqualTo(Setting.MIN_NODE_REPUTATION);
        var info = sc.reads().getSubnetInfo(sid).orElseThrow().subnet();
        assertThat(List.of(info.name(), info.repo(), info.description(), info.misc()))
                .as("each text went to its own field")
                .containsExactly("renamed", "github.com/x/renamed", "d", "m");
    }

    @Test
    void theWireFormIsTheSnakeCaseNameAsText() {
        SubnetOwnerUpdate typed = new SubnetOwnerUpdate(7, Setting.MIN_WEIGHT_DECREASE_REPUTATION_THRESHOLD);
        assertThat(typed.what()).isEqualTo("min_weight_decrease_reputation_threshold");
        assertThat(Scale.encode(typed))
                .isEqualTo(Scale.encode(new SubnetOwnerUpdate(7, "min_weight_decrease_reputation_threshold")));
        JsonNode json = ChainJson.mapper().valueToTree(typed);
        assertThat(json.path("data").path("what").asText()).isEqualTo("min_weight_decrease_reputation_threshold");
        assertThat(ChainJson.mapper().convertValue(json, Event.class)).isEqualTo(typed);
        for (Setting s : Setting.values())
            assertThat(Setting.ofWireName(s.wireName())).contains(s);
        assertThat(new SubnetOwnerUpdate(7, "from_a_later_runtime").setting()).isEmpty();
    }

    private static Setting setting(CallResult r) {
        List<SubnetOwnerUpdate> updates = r.events().stream()
                .filter(SubnetOwnerUpdate.class::isInstance)
                .map(SubnetOwnerUpdate.class::cast)
                .toList();
        assertThat(updates).hasSize(1);
        Optional<Setting> s = updates.get(0).setting();
        assertThat(s).isPresent();
        return s.get();
    }
}
