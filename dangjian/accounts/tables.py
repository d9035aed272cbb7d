import django_tables2 as tables

from .models import User


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else phone


class UserTable(tables.Table):
    username = tables.Column(linkify=("user-detail", {"pk": tables.A("pk")}), verbose_name="用户名")
    real_name = tables.Column(verbose_name="姓名")
    phone = tables.Column(verbose_name="手机号")
    roles = tables.Column(empty_values=(), orderable=False, verbose_name="角色")
    is_active = tables.BooleanColumn(verbose_name="启用")
    last_login = tables.DateTimeColumn(format="Y-m-d H:i", verbose_name="最近登录")

    class Meta:
        model = User
        fields = ["username", "real_name", "phone", "roles", "is_active", "last_login"]
        attrs = {"class": "table table-sm table-hover align-middle"}

    def render_phone(self, value):
        return mask_phone(value)

    def value_phone(self, value):
        return mask_phone(value)

    def render_roles(self, record):
        return "；".join(f"{r.org.name}·{r.get_role_display()}" for r in record.roles.all())

    def value_roles(self, record):
        return self.render_roles(record)
