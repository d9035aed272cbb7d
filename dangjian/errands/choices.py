"""Choices of the errands app, in the words of the 安定镇 report (seed 004)."""

# 咨询、培训技能、服务等三大类19项便民服务事宜 (004): the categories the catalogue form suggests.
CATEGORIES: tuple[str, ...] = ("咨询", "培训技能", "服务")

# What separates the names of the sections attending a half-day when typed in one box.
SECTION_SEPARATORS = "、,，;；\n"
