"""The rules of earmarked funds, with their sources. Seed 000 (五寨县) says the money goes from the county
through the township offices (通过各乡镇党建办统筹分配资金); that nothing is spent or passed on beyond what
was received is the plain rule of any earmarked-fund ledger (专款专用、不得超拨超支)."""

from dangjian.core.rules import Rule, register

S000 = (
    "种子000 五寨县：县委组织部联合财政、农业等部门，通过各乡镇党建办统筹分配资金，"
    "用于产业发展、村级组织运转和乡镇干部补贴"
)
EARMARK = "专项资金管理通行要求：专款专用，分配和支出不得超过已下达额度"

WITHIN_COUNTY = register(
    Rule(
        code="funds.within_county",
        title="资金只能分配给本县的乡镇和村（县→乡镇→村逐级下达）",
        value=True,
        unit="",
        source=S000,
        article="县级资金经乡镇党建办统筹分配到村",
        confidence="M",
    )
)
NO_OVER_ALLOCATION = register(
    Rule(
        code="funds.no_over_allocation",
        title="再分配不得超过上级已下达且未分配、未支出的余额",
        value=0,
        unit="元",
        source=EARMARK,
        article="分配金额 ≤ 上级余额（余额 = 下达 − 再分配 − 支出）；恰好等于余额允许",
        confidence="H",
    )
)
NO_OVERSPEND = register(
    Rule(
        code="funds.no_overspend",
        title="支出不得超过该笔分配的余额",
        value=0,
        unit="元",
        source=EARMARK,
        article="支出金额 ≤ 分配余额；恰好等于余额允许",
        confidence="H",
    )
)
