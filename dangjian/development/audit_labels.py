"""Chinese labels for the development app's audit actions."""

LABELS: dict[str, str] = {
    "development.open": "登记入党申请",
    "development.step": "办理发展党员步骤",
    "development.correct": "更正发展党员步骤",
    "development.stop": "终止发展",
    "development.document": "上传发展党员材料",
}
