"""Forms of the task pages: they only parse input; every rule is checked by services.py, whose Chinese
messages are shown beside the fields."""

from __future__ import annotations

from django import forms

from dangjian.cases.forms import MultipleFileField
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from .choices import ListKind, TargetKind

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d"]
MAX_ORG_CHOICES = 400
KIND_CHOICES = [
    ("", "——（不按类型）——"),
    (OrgKind.TOWNSHIP, "全部乡镇（街道）"),
    (OrgKind.STATION, "全部党建工作站"),
    (OrgKind.JOINT_BRANCH, "全部联村党总支"),
    (OrgKind.BRANCH, "全部村党支部"),
    (OrgKind.COMMUNITY, "全部社区党组织"),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kw):
        super().__init__(format="%Y-%m-%d", **kw)


def _date(label: str, required: bool = True, **kw) -> forms.DateField:
    return forms.DateField(
        label=label, widget=DateInput(), input_formats=DATE_FORMATS, required=required, **kw
    )


class OrgChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Org) -> str:
        return "　" * max(0, obj.depth - 1) + obj.name


class OrgsChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Org) -> str:
        return f"{obj.name}（{obj.get_kind_display()}）"


class TaskListForm(forms.Form):
    org = OrgChoice(label="下达组织", queryset=Org.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label="类型", choices=[(ListKind.MONTHLY, ListKind.MONTHLY.label)])
    period_start = _date("所属月份（该月任一日期）")
    title = forms.CharField(label="标题", required=False, help_text="不填则为“组织+年月+任务清单”")
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs if orgs is not None else Org.objects.none()


class TaskForm(forms.Form):
    title = forms.CharField(label="任务名称", required=False)
    description = forms.CharField(label="要求", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    key = forms.BooleanField(label="重点任务（列入3+X月度分析）", required=False)
    target_kind = forms.ChoiceField(label="指标类型", choices=TargetKind.choices)
    target_value = forms.DecimalField(
        label="每个承办单位的目标值", required=False, max_digits=14, decimal_places=2, min_value=None
    )
    unit = forms.CharField(label="单位", required=False, help_text="如：次、人、米、亩、万元")
    checklist = forms.CharField(
        label="清单事项（每行一项）", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    due = _date("完成期限", required=False)
    sort_order = forms.IntegerField(label="排序", required=False, initial=0)

    def cleaned_for_service(self) -> dict:
        d = dict(self.cleaned_data)
        d["checklist"] = [x.strip() for x in (d.get("checklist") or "").splitlines() if x.strip()]
        d["sort_order"] = d.get("sort_order") or 0
        return d


class DispatchForm(forms.Form):
    orgs = OrgsChoice(
        label="下达到（勾选下级组织）",
        queryset=Org.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = forms.ChoiceField(label="或下达到某类全部组织", choices=KIND_CHOICES, required=False)
    due = _date("完成期限", required=False, help_text="不填则为任务的完成期限")
    target_amount = forms.DecimalField(
        label="每个单位的目标值",
        required=False,
        max_digits=14,
        decimal_places=2,
        help_text="不填则为任务的目标值",
    )

    def __init__(self, *args, candidates=None, number: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["orgs"].queryset = candidates if candidates is not None else Org.objects.none()
        if not number:
            del self.fields["target_amount"]


class RelayForm(DispatchForm):
    def __init__(self, *args, **kwargs):
        kwargs["number"] = False
        super().__init__(*args, **kwargs)
        self.fields["orgs"].label = "分解下达到（勾选下级组织）"
        self.fields["due"].help_text = "不填则与本单位期限相同"


class ReportForm(forms.Form):
    text = forms.CharField(label="完成情况", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    amount = forms.DecimalField(label="当前累计完成值", required=False, max_digits=14, decimal_places=2)
    checklist_done = forms.MultipleChoiceField(
        label="已完成事项", required=False, widget=forms.CheckboxSelectMultiple
    )
    files = MultipleFileField(label="附件（照片、文档）")

    def __init__(self, *args, task=None, **kwargs):
        super().__init__(*args, **kwargs)
        if task is not None and task.target_kind == TargetKind.CHECKLIST:
            del self.fields["amount"]
            self.fields["checklist_done"].choices = [(str(i), item) for i, item in enumerate(task.checklist)]
        else:
            del self.fields["checklist_done"]
            if task is not None and task.unit:
                self.fields["amount"].label = f"当前累计完成值（{task.unit}）"
