"""Forms of the roster. They only shape input; the rules live in services.roster.check_member, whose
Chinese messages the views put beside the fields."""

from __future__ import annotations

from django import forms

from dangjian.orgs.models import Org

from .choices import DuesCategory, Education, Gender, MemberStatus
from .services.roster import MemberData

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class GroupSelect(forms.Select):
    """Each option carries its branch, so the page can show only the chosen branch's groups."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-branch"] = instance.parent_id
        return option


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} · {obj.name}"


class MemberForm(forms.Form):
    org = forms.ModelChoiceField(queryset=Org.objects.none(), label="所在党支部", empty_label="请选择")
    name = forms.CharField(label="姓名", max_length=40, required=False)
    id_number = forms.CharField(
        label="公民身份号码", max_length=30, required=False, help_text="填写后自动核对出生日期和性别"
    )
    gender = forms.ChoiceField(
        label="性别", choices=[("", "按身份证号识别")] + Gender.choices, required=False
    )
    birth_date = forms.DateField(
        label="出生日期", required=False, widget=DateInput(), input_formats=DATE_FORMATS
    )
    ethnicity = forms.CharField(label="民族", max_length=20, initial="汉族")
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    education = forms.ChoiceField(label="学历", choices=[("", "—")] + Education.choices, required=False)
    occupation = forms.CharField(label="职业/工作岗位", max_length=60, required=False)
    status = forms.ChoiceField(label="党员类别", choices=MemberStatus.choices, initial=MemberStatus.FULL)
    joined_on = forms.DateField(
        label="入党时间",
        required=False,
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        help_text="支部大会通过接收为预备党员之日",
    )
    full_on = forms.DateField(
        label="转正时间",
        required=False,
        widget=DateInput(),
        input_formats=DATE_FORMATS,
        help_text="预备党员不填",
    )
    group = GroupChoiceField(
        queryset=Org.objects.none(),
        label="党小组",
        required=False,
        empty_label="（不分党小组）",
        widget=GroupSelect,
    )
    dues_category = forms.ChoiceField(
        label="党费类别", choices=DuesCategory.choices, initial=DuesCategory.FARMER
    )
    dues_base = forms.DecimalField(
        label="党费计算基数（元/月）",
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
        help_text="在职、离退休党员必填",
    )

    def __init__(
        self,
        *args,
        branches,
        groups,
        fixed_org: Org | None = None,
        current_masked: dict[str, str] | None = None,
        **kwargs,
    ):
        """`branches`: where the user may put a member. Editing (`fixed_org`): the branch does not change
        here (that is a transfer), and the ID number and phone are shown masked, blank to keep them."""
        super().__init__(*args, **kwargs)
        self.editing = fixed_org is not None
        if self.editing:
            del self.fields["org"]
            for name, masked in (current_masked or {}).items():
                self.fields[name].help_text = f"当前：{masked or '未填写'}。不修改请留空。"
        else:
            self.fields["org"].queryset = branches
        self.fields["group"].queryset = groups.select_related("parent")

    def member_data(self, base: MemberData | None = None) -> MemberData:
        """The cleaned values over `base` (the member's current data when editing, so fields the form
        does not show, such as grid and household, are kept)."""
        data = base or MemberData(name="")
        for name, value in self.cleaned_data.items():
            if name == "org" or (self.editing and name in ("id_number", "phone") and not value):
                continue
            setattr(data, name, value)
        return data


class MemberImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx 或 .csv）")
