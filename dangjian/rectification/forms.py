"""Forms of the rectification pages: plain fields; every rule is checked in services.py."""

from __future__ import annotations

from django import forms

from .choices import SupportKind, VisitItemKind

DATE = forms.DateInput(attrs={"type": "date"})
AREA = forms.Textarea(attrs={"rows": 3})


class OpenCaseForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="村（社区）党组织")
    year = forms.IntegerField(label="整顿年度", min_value=2000, max_value=2100)
    basis = forms.CharField(label="排查依据", max_length=2000, required=False, widget=AREA)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class IdentifyForm(forms.Form):
    situations = forms.MultipleChoiceField(
        label="对照情形（逐项核查）", choices=(), widget=forms.CheckboxSelectMultiple
    )
    evidence = forms.CharField(label="认定依据和佐证", max_length=3000, widget=AREA)
    on = forms.DateField(label="认定日期", widget=DATE)

    def __init__(self, *args, checklist=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["situations"].choices = [(k, f"{t}") for k, t, _ in checklist]


class ClearForm(forms.Form):
    basis = forms.CharField(label="排查结论", max_length=2000, widget=AREA)


class CheckVisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    visitors = forms.CharField(label="走访人员", max_length=200)
    items = forms.ModelMultipleChoiceField(
        queryset=None, required=False, label="覆盖的四必访三必问", widget=forms.CheckboxSelectMultiple
    )
    findings = forms.CharField(label="发现的问题", max_length=3000, widget=AREA)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = items


class PlanForm(forms.Form):
    """The five essentials are optional here so the service names the missing one."""

    targets = forms.CharField(label="定目标任务", max_length=2000, required=False, widget=AREA)
    responsible = forms.CharField(label="定责任主体", max_length=300, required=False)
    deadline = forms.DateField(label="定时限要求", required=False, widget=DATE)
    measures = forms.CharField(label="定工作措施", max_length=3000, required=False, widget=AREA)
    expected_result = forms.CharField(label="定整改成效", max_length=2000, required=False, widget=AREA)
    approved_on = forms.DateField(label="方案制定日期", widget=DATE)


class ItemForm(forms.Form):
    title = forms.CharField(label="整顿事项", max_length=100)
    measures = forms.CharField(label="整改措施", max_length=3000, required=False, widget=AREA)
    owner = forms.ModelChoiceField(queryset=None, label="责任人")
    deadline = forms.DateField(label="完成时限", required=False, widget=DATE, help_text="不填则为方案的时限")

    def __init__(self, *args, owners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners


class SupportForm(forms.Form):
    kind = forms.ChoiceField(label="帮扶力量", choices=SupportKind.choices)
    name = forms.CharField(label="姓名或单位", max_length=60)
    title = forms.CharField(label="职务", max_length=100, required=False)
    since = forms.DateField(label="起始日期", widget=DATE)


class SupportVisitForm(forms.Form):
    support = forms.ModelChoiceField(queryset=None, label="帮扶力量")
    visited_on = forms.DateField(label="到村日期", widget=DATE)
    visitor = forms.CharField(label="到村人员", max_length=60, required=False, help_text="不填则为帮扶人")
    activity = forms.CharField(label="开展工作", max_length=500, widget=AREA)

    def __init__(self, *args, supports=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["support"].queryset = supports


class VerdictForm(forms.Form):
    passed = forms.TypedChoiceField(
        label="结论", choices=[("1", "通过"), ("0", "不通过")], coerce=lambda v: v == "1"
    )
    basis = forms.CharField(label="意见", max_length=2000, widget=AREA)
    on = forms.DateField(label="日期", widget=DATE)


class ScreeningForm(forms.Form):
    county = forms.ModelChoiceField(queryset=None, label="县")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quota_percent = forms.DecimalField(
        label="倒排比例（%）",
        required=False,
        help_text="5%—10%，不填则为本县规则值",
        max_digits=4,
        decimal_places=1,
    )

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties


class ImportForm(forms.Form):
    file = forms.FileField(label="年度排查表（Excel：村（社区）、排名、得分、集体经济收入（万元））")


class ConfirmForm(forms.Form):
    orgs = forms.ModelMultipleChoiceField(
        queryset=None, label="确认列入整顿", widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orgs"].queryset = orgs


class SituationForm(forms.Form):
    county = forms.ModelChoiceField(queryset=None, label="县")
    title = forms.CharField(label="增补情形", max_length=120)
    source = forms.CharField(label="依据", max_length=200, required=False)

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties


class VisitItemForm(forms.Form):
    county = forms.ModelChoiceField(queryset=None, label="县")
    kind = forms.ChoiceField(label="类别", choices=VisitItemKind.choices)
    text = forms.CharField(label="内容", max_length=120)

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties
