"""Forms of the projects pages; they only shape input — every rule is checked by services.py."""

from __future__ import annotations

from django import forms

from .choices import FileKind, ProgressMode, ProjectKind, ProjectStatus, SourceKind
from .models import Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProjectForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label="实施单位（村、联村党总支、工作站或乡镇）")
    title = forms.CharField(label="项目名称", max_length=120)
    kind = forms.ChoiceField(label="类别", choices=ProjectKind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    budget = forms.DecimalField(label="预算（元）", max_digits=14, decimal_places=2, min_value=0)
    description = forms.CharField(label="建设内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    start_on = forms.DateField(label="开工日期", required=False, widget=DATE)
    planned_end = forms.DateField(label="计划完工日期", required=False, widget=DATE)
    progress_mode = forms.ChoiceField(label="进度计算", choices=ProgressMode.choices)
    villages = forms.ModelMultipleChoiceField(
        queryset=None,
        label="受益村（多村共享时选择）",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    decision = forms.ModelChoiceField(
        queryset=None, label="四议两公开事项（如有）", required=False, empty_label="无"
    )

    def __init__(self, *args, orgs, villages, decisions, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["villages"].queryset = villages
        self.fields["decision"].queryset = decisions
        self.fields["org"].label_from_instance = lambda o: o.name
        self.fields["villages"].label_from_instance = lambda o: o.name
        if editing:
            del self.fields["org"]


class SourceForm(forms.Form):
    kind = forms.ChoiceField(label="资金渠道", choices=SourceKind.choices)
    name = forms.CharField(label="出资单位或说明", max_length=100, required=False)
    amount = forms.DecimalField(label="金额（元）", max_digits=14, decimal_places=2)


class MilestoneForm(forms.Form):
    title = forms.CharField(label="节点名称", max_length=100)
    due = forms.DateField(label="计划完成日期", widget=DATE)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label="实际完成日期", widget=DATE)


class OutcomeForm(forms.Form):
    measure = forms.CharField(label="成效内容（如：有效灌溉农田）", max_length=60)
    quantity = forms.DecimalField(label="数量", max_digits=14, decimal_places=2)
    # Not required here: the service refuses a missing unit with the rule's own message.
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.all(), label="单位", required=False, empty_label="请选择"
    )
    recorded_on = forms.DateField(label="登记日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="新状态", choices=ProjectStatus.choices)
    on = forms.DateField(label="日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label="进度（%）", min_value=0, max_value=100)


class FileForm(forms.Form):
    file = forms.FileField(label="文件", help_text="jpg、png、webp 图片或 pdf、docx、xlsx 文件")
    kind = forms.ChoiceField(label="类别", choices=FileKind.choices)
