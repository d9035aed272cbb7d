from django import forms
from django.contrib.auth.forms import AuthenticationForm

from dangjian.core.roles import ROLE_ORG_KINDS, Role


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码不正确。连续输错5次，账号将被锁定30分钟。",
        "inactive": "该账号已停用。",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label="原密码", widget=forms.PasswordInput)
    new_password = forms.CharField(
        label="新密码", widget=forms.PasswordInput, help_text="至少8位，不能全是数字"
    )
    new_password2 = forms.CharField(label="再次输入新密码", widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


def roles_for_kind(kind: str) -> list[tuple[str, str]]:
    return [(r.value, r.label) for r in Role if kind in ROLE_ORG_KINDS[r]]


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=100)
    real_name = forms.CharField(label="姓名", max_length=100)
    phone = forms.CharField(label="手机号", max_length=30, required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput)
    role = forms.ChoiceField(label="角色")
    title = forms.CharField(label="职务", max_length=100, required=False)
    department = forms.IntegerField(label="部门", required=False, widget=forms.Select)

    def __init__(self, *args, org, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles_for_kind(org.kind)
        if departments:
            self.fields["department"].widget.choices = [("", "—")] + [(d.pk, d.name) for d in departments]
        else:
            del self.fields["department"]


class RoleGrantForm(forms.Form):
    org = forms.IntegerField(label="组织编号", widget=forms.HiddenInput)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    title = forms.CharField(label="职务", max_length=100, required=False)


class UserEditForm(forms.Form):
    real_name = forms.CharField(label="姓名", max_length=100)
    phone = forms.CharField(label="手机号", max_length=30, required=False)
    email = forms.EmailField(label="电子邮箱（接收提醒）", required=False)
    is_active = forms.BooleanField(label="启用", required=False)
