"""Chinese labels for audit actions, as people read them in a history tab."""

ACTION_LABELS: dict[str, str] = {
    "org.create": "新建组织",
    "org.update": "修改组织",
    "org.move": "移动组织",
    "org.archive": "归档组织",
    "org.restore": "恢复组织",
    "org.import": "导入组织",
    "department.create": "新建部门",
    "department.update": "修改部门",
    "grid.create": "新建网格",
    "grid.update": "修改网格",
    "user.create": "新建用户",
    "user.update": "修改用户",
    "user.password": "修改密码",
    "role.grant": "授予角色",
    "role.revoke": "撤销角色",
    "rule.override": "设置县级规则",
    "workday.set": "设置县级工作日调整",
    "workday.remove": "删除县级工作日调整",
}
