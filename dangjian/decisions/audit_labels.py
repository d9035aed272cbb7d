"""Chinese labels for this app's audit actions."""

LABELS: dict[str, str] = {
    "decisions.open": "登记四议两公开事项",
    "decisions.step": "登记四议两公开环节",
    "decisions.advance": "四议两公开事项进入下一环节",
    "decisions.opinion": "登记群众意见",
}
