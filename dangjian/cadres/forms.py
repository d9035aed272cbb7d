"""Forms of the cadres pages: parse input only; the services validate and write."""

from __future__ import annotations

from django import forms

from dangjian.members.choices import Education, Gender

from .choices import ActivityKind, AssessmentGrade, Grade, PoliticalStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
OUT_OF_SCOPE = "所选项不存在或不在您的管辖范围内。"


def _choices_field(label: str, queryset, **kwargs) -> forms.ModelChoiceField:
    field = forms.ModelChoiceField(queryset=queryset, label=label, empty_label="请选择", **kwargs)
    field.error_messages["invalid_choice"] = OUT_OF_SCOPE
    return field


class ReserveForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=40)
    gender = forms.ChoiceField(label="性别", choices=Gender.choices)
    birth_date = forms.DateField(label="出生日期", widget=DATE)
    education = forms.ChoiceField(label="学历", choices=Education.choices)
    political_status = forms.ChoiceField(label="政治面貌", choices=PoliticalStatus.choices)
    skills = forms.CharField(
        label="特长/技能", max_length=200, required=False, help_text="如：电商销售、种植技术"
    )
    entered_on = forms.DateField(label="入库日期", widget=DATE)


class ReserveNewForm(ReserveForm):
    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"] = _choices_field("村（社区）", orgs)
        self.order_fields(["org", *self.fields])


class LeaveForm(forms.Form):
    left_on = forms.DateField(label="出库日期", widget=DATE)
    reason = forms.CharField(label="出库原因", max_length=100)


class MentorshipForm(forms.Form):
    mentor_post = forms.ModelChoiceField(queryset=None, label="导师（现任村“两委”干部）", required=False)
    mentor_user = forms.ModelChoiceField(queryset=None, label="或导师（乡镇党建办干部）", required=False)
    started_on = forms.DateField(label="帮带开始日期", widget=DATE)

    def __init__(self, *args, posts=None, users=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor_post"].queryset = posts
        self.fields["mentor_user"].queryset = users
        self.fields["mentor_user"].label_from_instance = lambda u: u.display_name
        for name in ("mentor_post", "mentor_user"):
            self.fields[name].error_messages["invalid_choice"] = OUT_OF_SCOPE


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label="帮带方式", choices=ActivityKind.choices)
    held_on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="内容", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class EvaluationForm(forms.Form):
    evaluated_on = forms.DateField(label="评价日期", widget=DATE)
    grade = forms.ChoiceField(label="等次", choices=Grade.choices)
    evaluator = forms.CharField(label="评价人", max_length=60)
    comment = forms.CharField(label="评语", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ChooseForm(forms.Form):
    committee = forms.ModelChoiceField(queryset=None, label="班子")
    kind = forms.ChoiceField(label="职务", choices=())
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    decided_by = forms.CharField(
        label="决定机关", max_length=60, required=False, help_text="不填为所在乡镇党委"
    )
    basis = forms.CharField(label="依据", max_length=300, help_text="如：镇党委会议纪要〔2026〕5号")
    considered = forms.ModelMultipleChoiceField(
        queryset=None, label="同时考察的人选", required=False, widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, committees=None, others=None, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].queryset = committees
        self.fields["committee"].error_messages["invalid_choice"] = OUT_OF_SCOPE
        self.fields["kind"].choices = kinds
        self.fields["considered"].queryset = others
        self.fields["considered"].label_from_instance = lambda r: r.name


class CoachingForm(forms.Form):
    coach_name = forms.CharField(label="辅导人", max_length=40)
    coach_title = forms.CharField(label="辅导人职务", max_length=60, initial="乡镇党建办主任")
    started_on = forms.DateField(label="开始日期", widget=DATE)


class SessionForm(forms.Form):
    held_on = forms.DateField(label="日期", widget=DATE)
    topic = forms.CharField(label="主题", max_length=100)
    note = forms.CharField(
        label="内容", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class BatchForm(forms.Form):
    township = forms.ModelChoiceField(queryset=None, label="乡镇", empty_label="请选择")
    month = forms.DateField(label="月份", widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"])

    def __init__(self, *args, townships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
        self.fields["township"].error_messages["invalid_choice"] = OUT_OF_SCOPE


class AssessmentForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="村（社区）", empty_label="请选择")
    name = forms.CharField(label="姓名", max_length=40)
    year = forms.IntegerField(label="年度")
    grade = forms.ChoiceField(label="等次", choices=AssessmentGrade.choices)
    score = forms.DecimalField(label="得分", required=False, max_digits=5, decimal_places=1)
    evidence = forms.CharField(
        label="依据", max_length=300, help_text="如：乡党建办2025年度村干部考核结果通报"
    )

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["org"].error_messages["invalid_choice"] = OUT_OF_SCOPE


class AccountForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="村（社区）", empty_label="请选择")
    name = forms.CharField(label="姓名", max_length=40)
    account_no = forms.CharField(label="一卡通账号", max_length=30)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["org"].error_messages["invalid_choice"] = OUT_OF_SCOPE


class SchemeForm(forms.Form):
    """Base pay per post kind is one field per kind, added in __init__."""

    county = forms.ModelChoiceField(queryset=None, label="县（区）", empty_label="请选择")
    dual_allowance = forms.DecimalField(label="“一肩挑”补贴（元/月）", min_value=0, decimal_places=2)
    performance_months = forms.IntegerField(label="绩效月数", min_value=0, max_value=12)
    performance_month = forms.IntegerField(label="绩效发放月份", min_value=1, max_value=12, initial=1)
    source = forms.CharField(label="依据", max_length=300)

    def __init__(self, *args, counties=None, **kwargs):
        from dangjian.villages.models import PostKind

        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
        self.fields["county"].error_messages["invalid_choice"] = OUT_OF_SCOPE
        for kind in PostKind:
            self.fields[f"base_{kind.value}"] = forms.DecimalField(
                label=f"{kind.label}月基本报酬（元）", min_value=0, decimal_places=2
            )
        for grade in AssessmentGrade:
            self.fields[f"coef_{grade.value}"] = forms.DecimalField(
                label=f"“{grade.label}”绩效系数", min_value=0, max_value=5, decimal_places=2
            )

    def scheme_values(self) -> dict:
        data = self.cleaned_data
        return {
            "base_pay": {k[5:]: v for k, v in data.items() if k.startswith("base_")},
            "coefficients": {k[5:]: v for k, v in data.items() if k.startswith("coef_")},
            "dual_allowance": data["dual_allowance"],
            "performance_months": data["performance_months"],
            "performance_month": data["performance_month"],
            "source": data["source"],
        }
