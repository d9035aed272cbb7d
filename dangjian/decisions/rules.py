"""The rules this app enforces, with their sources (shared/domain/rules.md §3, §3.1, §2.1).

Shares are stored as [numerator, denominator] so every check is exact integer arithmetic:
"more than half" is 2*x > n, "at least two thirds" is 3*x >= 2*n."""

from dangjian.core.rules import Rule, register

FOUR_TWO = "“四议两公开”工作法（《中国共产党农村基层组织工作条例》2019，村级重大事项决策）"
VC_LAW = "《中华人民共和国村民委员会组织法》（2010年修订，2018年修正）"
BRANCH_REG = "《中国共产党支部工作条例（试行）》（2018）"

STEP_ORDER = register(
    Rule(
        code="decisions.step_order",
        title="四议两公开：提议→两委商议→党员大会审议→村民（代表）会议决议→决议公开→实施结果公开，依次进行",
        value=True,
        unit="",
        source=FOUR_TWO,
        article="村级重大事项决策实行“四议两公开”（条例原文未直接检索到，各地表述一致）",
        confidence="M",
    )
)
MERGE_ALLOWED = register(
    Rule(
        code="decisions.merge_first_two",
        title="书记、主任“一肩挑”的村，提议和两委商议可合并进行",
        value=True,
        unit="是/否",
        source=FOUR_TWO,
        article="各地实施办法：“一肩挑”村第一、二步可合并（地方做法，县可关闭）",
        confidence="M",
        scope="local",
        overridable=True,
    )
)
ASSEMBLY_ATTENDANCE = register(
    Rule(
        code="decisions.assembly.attendance_share",
        title="党员大会审议：到会党员不少于应到会党员的该比例",
        value=[2, 3],
        unit="比例 [分子, 分母]",
        source="各地四议两公开实施办法（地方做法）",
        article="党员大会须有三分之二以上党员到会（地方实施细则，非全国性规定）",
        confidence="M",
        scope="local",
        overridable=True,
    )
)
ASSEMBLY_FLOOR = register(
    Rule(
        code="decisions.assembly.attendance_floor",
        title="党员大会到会人数的全国底线：不少于应到会有表决权党员的半数（县级取值不得低于此）",
        value=[1, 2],
        unit="比例 [分子, 分母]",
        source=BRANCH_REG,
        article="第十一条：表决必须有半数以上有表决权的党员到会方可进行（“以上”含本数）",
        confidence="H",
    )
)
ASSEMBLY_PASS = register(
    Rule(
        code="decisions.assembly.pass",
        title="党员大会审议通过：赞成人数超过应到会有表决权党员的半数",
        value=[1, 2],
        unit="比例（严格超过）",
        source=BRANCH_REG,
        article="第十一条：赞成人数超过应到会有表决权党员的半数为通过",
        confidence="H",
    )
)
VILLAGERS_QUORUM = register(
    Rule(
        code="decisions.villagers.quorum",
        title="村民会议：到会超过18周岁以上村民的半数，或本村三分之二以上的户的代表参加",
        value={"adults": [1, 2], "households": [2, 3]},
        unit="比例",
        source=VC_LAW,
        article="第二十二条",
        confidence="H",
    )
)
VILLAGERS_PASS = register(
    Rule(
        code="decisions.villagers.pass",
        title="村民会议所作决定：经到会人员的过半数通过",
        value=[1, 2],
        unit="比例（严格超过）",
        source=VC_LAW,
        article="第二十二条",
        confidence="H",
    )
)
REPRESENTATIVES_QUORUM = register(
    Rule(
        code="decisions.representatives.quorum",
        title="村民代表会议：三分之二以上组成人员参加方可召开",
        value=[2, 3],
        unit="比例（不少于）",
        source=VC_LAW,
        article="第二十六条",
        confidence="H",
    )
)
REPRESENTATIVES_PASS = register(
    Rule(
        code="decisions.representatives.pass",
        title="村民代表会议所作决定：经到会人员的过半数同意",
        value=[1, 2],
        unit="比例（严格超过）",
        source=VC_LAW,
        article="第二十六条",
        confidence="H",
    )
)
JOINT_FIRST_REVIEW = register(
    Rule(
        code="decisions.joint_first_review",
        title="联村党总支下的村：重要事项经两委商议后，先报联村党总支初审，再提交党员大会审议（县开启后适用）",
        value=False,
        unit="是/否",
        source="安定镇联村党总支“7项权限”之重要事务初审权（seeds 004）",
        article="赋予联村党总支……重要事务初审权",
        confidence="M",
        scope="local",
        overridable=True,
    )
)
