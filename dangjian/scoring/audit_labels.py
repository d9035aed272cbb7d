LABELS: dict[str, str] = {
    "scoring.set.create": "建立考核指标体系",
    "scoring.set.indicators": "调整考核指标",
    "scoring.set.rollup": "修改得分汇总方法",
    "scoring.compute": "计算考核得分",
    "scoring.score.manual": "人工评分",
    "scoring.close_year": "确定年度考核结果",
    "scoring.scorecard.publish": "晾晒成绩单",
    "scoring.scorecard.read": "阅知成绩单",
    "scoring.award": "登记奖惩",
    "scoring.export_cadres": "考核结果推送村干部报酬",
}
