"""Forms of member development. They only shape input: the rules and their Chinese messages (with
sources) are services.py's, and the views put each message beside its field."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Model
from django.utils import timezone

from dangjian.members.choices import Education
from dangjian.members.forms import DATE_FORMATS, DateInput
from dangjian.members.models import Member
from dangjian.members.services.roster import PersonData
from dangjian.orgs.models import Org

from . import rules as R

RESULT_PASSED = [("", "请选择"), ("passed", "合格"), ("failed", "不合格")]
RESULT_APPROVED = [("", "请选择"), ("approved", "批准"), ("rejected", "不批准")]
OUTCOMES = [("", "请选择"), ("convert", "按期转正"), ("extend", "延长预备期"), ("cancel", "取消预备党员资格")]
DECIDED_BY = [("", "请选择"), ("支部委员会", "支部委员会"), ("支部大会", "支部大会（未设支部委员会的）")]
# Step data that decides an outcome; services refuse to change it by correction, so it is not offered.
FIXED_ON_CORRECTION = frozenset(
    {"result", "outcome", "months", "entitled", "present", "in_favour", "against", "abstain", "members"}
)


def _date(label: str, **kw: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), input_formats=DATE_FORMATS, **kw)


def _count(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, min_value=0, required=False)


class MemberChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.person.name


def _votes() -> dict[str, forms.Field]:
    return {
        "entitled": _count("应到会有表决权的正式党员（人）"),
        "present": _count("实到（人）"),
        "in_favour": _count("赞成（人）"),
        "against": _count("反对（人）"),
        "abstain": _count("弃权（人）"),
    }


def _publicity(required: bool) -> dict[str, forms.Field]:
    return {
        "publicity_from": _date("公示开始日期", required=required),
        "publicity_to": _date("公示结束日期", required=required),
    }


def _members(help_text: str) -> dict[str, forms.Field]:
    return {
        "members": MemberChoices(
            queryset=Member.objects.none(),
            label="正式党员",
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text=help_text,
        )
    }


def _result(choices: list[tuple[str, str]], label: str) -> dict[str, forms.Field]:
    return {"result": forms.ChoiceField(label=label, choices=choices, required=False)}


def step_fields(code: str, version: str) -> dict[str, forms.Field]:
    """The fields of step `code`'s data (the keys services._validate reads)."""
    if code == "activist":
        return {"decided_by": forms.ChoiceField(label="决定机构", choices=DECIDED_BY, required=False)}
    if code == "contacts":
        return _members(f"选择{R.CONTACTS_MIN.value}至{R.CONTACTS_MAX.value}名本支部正式党员")
    if code == "sponsors":
        return _members(f"选择{R.SPONSORS.value}名本支部正式党员（预备党员不能担任）")
    if code == "candidate_publicity":
        return _publicity(required=False)
    if code == "candidate" and version == "2014":
        return _publicity(required=False)
    if code in ("assessment", "probation_education"):
        return {"result": forms.CharField(label="考察情况", max_length=100, required=False)}
    if code == "political_review":
        return _result(RESULT_PASSED, "政审结论")
    if code == "training":
        return {
            "days": forms.DecimalField(label="培训天数", min_value=0, decimal_places=1, required=False),
            "hours": forms.DecimalField(label="培训学时", min_value=0, decimal_places=1, required=False),
        }
    if code in ("pre_review", "joint_pre_review"):
        return {
            **_result(RESULT_PASSED, "预审结论"),
            "leaving_soon": forms.BooleanField(label="3个月内将离开工作、学习单位", required=False),
        }
    if code == "branch_assembly":
        return _votes()
    if code == "conversion_assembly":
        return {
            **_votes(),
            "outcome": forms.ChoiceField(label="讨论结果", choices=OUTCOMES, required=False),
            "months": forms.IntegerField(
                label="延长预备期（月）", min_value=0, required=False, help_text="仅延长预备期时填写"
            ),
        }
    if code in ("approval", "conversion_approval"):
        return _result(RESULT_APPROVED, "审批结论")
    if code == "placement":
        return {
            "group": forms.ModelChoiceField(
                queryset=Org.objects.none(), label="编入党小组", required=False, empty_label="（不分党小组）"
            )
        }
    return {}


def _plain(value: Any) -> Any:
    """A cleaned value as JSON for the step's data."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Model):
        return value.pk
    if hasattr(value, "values_list"):
        return list(value.values_list("pk", flat=True))
    return value


class StepForm(forms.Form):
    """Taking step `code` of a case: the date, who did it, and the data that step needs. The code
    itself is posted unprefixed (it picks the form) and kept in `step_code`."""

    done_on = _date("办理日期")
    responsible = forms.CharField(label="负责人", max_length=60)
    note = forms.CharField(
        label="说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    late_reason = forms.CharField(
        label="逾期说明", max_length=300, required=False, help_text="超过期限办理的，请写明原因"
    )

    def __init__(self, *args, code: str, version: str, members=None, groups=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.step_code = code
        self.data_names = []
        for name, f in step_fields(code, version).items():
            self.fields[name] = f
            self.data_names.append(name)
        self.order_fields(["done_on", "responsible", *self.data_names, "note", "late_reason", "reason"])
        if "members" in self.fields and members is not None:
            self.fields["members"].queryset = members
        if "group" in self.fields and groups is not None:
            self.fields["group"].queryset = groups

    def data_values(self) -> dict[str, Any]:
        values = {}
        for name in self.data_names:
            value = _plain(self.cleaned_data.get(name))
            if value not in (None, "", []) or name == "members":
                values[name] = value
        return values


class CorrectionForm(StepForm):
    """Correcting a recorded step: a new row replaces it, so the reason is required. Results, votes and
    the people named cannot be changed this way and are not offered."""

    reason = forms.CharField(label="更正原因", max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in list(self.data_names):
            if name in FIXED_ON_CORRECTION:
                del self.fields[name]
                self.data_names.remove(name)


class StopForm(forms.Form):
    reason = forms.CharField(
        label="终止原因", max_length=200, help_text="如本人撤回申请、迁出本地、经考察不宜发展"
    )
    on = _date("终止日期", initial=timezone.localdate)


class DocumentForm(forms.Form):
    file = forms.FileField(label="材料文件", help_text="单个文件不超过20MB")


class ApplicantForm(forms.Form):
    """A new application (step 1). The ID number gives birth date and gender, and with them the age check."""

    org = forms.ModelChoiceField(queryset=Org.objects.none(), label="党支部", empty_label="请选择")
    name = forms.CharField(label="姓名", max_length=40)
    id_number = forms.CharField(label="公民身份号码", max_length=30)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    education = forms.ChoiceField(label="学历", choices=[("", "—")] + Education.choices, required=False)
    occupation = forms.CharField(label="职业/工作岗位", max_length=60, required=False)
    applied_on = _date("递交申请日期")
    responsible = forms.CharField(label="接收申请的负责人", max_length=60)
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

    def person_data(self) -> PersonData:
        d = self.cleaned_data
        return PersonData(
            name=d["name"],
            id_number=d["id_number"],
            phone=d["phone"],
            education=d["education"],
            occupation=d["occupation"],
        )
