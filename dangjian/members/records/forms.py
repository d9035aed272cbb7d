"""Forms of the records pages. They only shape input; the rules live in the services."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone

from ..choices import DuesCategory, Gender, MemberStatus, MobileActivityKind, TransferKind
from ..models import StandingDecision

DATE = forms.DateInput(attrs={"type": "date"})


def today_initial() -> datetime.date:
    return timezone.localdate()


class MonthField(forms.DateField):
    """A month typed as 2026-11 (the browser's month picker) or 2026-11-01."""

    widget = forms.DateInput(attrs={"type": "month"})
    input_formats = ["%Y-%m", "%Y-%m-%d"]


class IdListField(forms.Field):
    """Several ids under one name (checkboxes, which may sit outside the form element)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return [int(v) for v in value or []]
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError("所选党员编号无效。") from exc


class MobileStartForm(forms.Form):
    destination = forms.CharField(label="外出地点", max_length=120)
    since = forms.DateField(label="外出日期", widget=DATE, initial=today_initial)
    expected_until = forms.DateField(label="预计返回日期", widget=DATE, required=False)
    fixed_place = forms.BooleanField(
        label="在外有相对固定处所",
        required=False,
        help_text="在外有相对固定处所且外出满6个月的，应转移组织关系，不再发放活动证",
    )
    contact = forms.CharField(label="在外联系方式", max_length=40, required=False)
    host_org_name = forms.CharField(label="流入地联系党组织", max_length=80, required=False)
    certificate_no = forms.CharField(label="《流动党员活动证》编号", max_length=40, required=False)
    certificate_issued_on = forms.DateField(label="活动证发放日期", widget=DATE, required=False)


class MobileEndForm(forms.Form):
    ended_on = forms.DateField(label="返回日期", widget=DATE, initial=today_initial)
    note = forms.CharField(label="说明", max_length=200, required=False)


class MobileActivityForm(forms.Form):
    kind = forms.ChoiceField(label="类型", choices=MobileActivityKind.choices)
    on = forms.DateField(label="日期", widget=DATE, initial=today_initial)
    content = forms.CharField(label="内容", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class StandingForm(forms.Form):
    kind = forms.ChoiceField(label="处置", choices=StandingDecision.Kind.choices)
    decided_on = forms.DateField(
        label="日期", widget=DATE, initial=today_initial, help_text="失联日期、恢复联系日期或决定（批准）日期"
    )
    decided_by = forms.CharField(label="作出决定的党组织", max_length=60, required=False)
    note = forms.CharField(
        label="说明", max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, v) for k, v in StandingDecision.Kind.choices if k in kinds]


class TransferStartForm(forms.Form):
    kind = forms.ChoiceField(
        label="转接类型",
        choices=[c for c in TransferKind.choices if c[0] != TransferKind.IN],
        widget=forms.RadioSelect,
    )
    to_org_code = forms.CharField(
        label="接收党支部编码",
        max_length=40,
        required=False,
        help_text="系统内转接：填写接收方提供的村（社区）党支部编码",
    )
    outside_org_name = forms.CharField(label="接收的系统外党组织", max_length=120, required=False)
    letter_no = forms.CharField(
        label="介绍信编号", max_length=40, required=False, help_text="转出到系统外必填"
    )
    issued_on = forms.DateField(label="开具日期", widget=DATE, initial=today_initial)
    note = forms.CharField(label="说明", max_length=300, required=False)


class ReceiveForm(forms.Form):
    """A member arriving from outside the system: the letter, and the particulars for the roll."""

    org = forms.ModelChoiceField(label="接收党支部", queryset=None)
    outside_org_name = forms.CharField(label="转出的系统外党组织", max_length=120)
    letter_no = forms.CharField(label="介绍信编号", max_length=40)
    issued_on = forms.DateField(label="介绍信开具日期", widget=DATE, required=False)
    received_on = forms.DateField(label="接收日期", widget=DATE, initial=today_initial)
    name = forms.CharField(label="姓名", max_length=40)
    id_number = forms.CharField(label="公民身份号码", max_length=18)
    gender = forms.ChoiceField(
        label="性别", choices=[("", "按身份证号识别"), *Gender.choices], required=False
    )
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    status = forms.ChoiceField(label="党员类别", choices=MemberStatus.choices)
    joined_on = forms.DateField(label="入党时间", widget=DATE)
    full_on = forms.DateField(label="转正时间", widget=DATE, required=False)
    dues_category = forms.ChoiceField(
        label="党费类别", choices=DuesCategory.choices, initial=DuesCategory.FARMER
    )
    dues_base = forms.DecimalField(
        label="党费计算基数（元/月）", max_digits=10, decimal_places=2, required=False
    )
    note = forms.CharField(label="说明", max_length=300, required=False)

    PERSON_FIELDS = (
        "name",
        "id_number",
        "gender",
        "phone",
        "status",
        "joined_on",
        "full_on",
        "dues_category",
        "dues_base",
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = branches


class HouseholdForm(forms.Form):
    org = forms.ModelChoiceField(label="所属党支部", queryset=None)
    head_name = forms.CharField(label="户主姓名", max_length=40)
    address = forms.CharField(label="住址", max_length=120, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    grid = forms.ModelChoiceField(label="网格", queryset=None, required=False)
    size = forms.IntegerField(label="人口数", min_value=1, required=False)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, branches, grids, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = branches
        self.fields["grid"].queryset = grids


class LinkForm(forms.Form):
    member = forms.ModelChoiceField(label="联系党员", queryset=None)
    since = forms.DateField(label="联系起始日期", widget=DATE, initial=today_initial)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members
        self.fields["member"].label_from_instance = lambda m: m.person.name


class UnlinkForm(forms.Form):
    ended_on = forms.DateField(label="结束日期", widget=DATE, initial=today_initial)


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=DATE, initial=today_initial)
    note = forms.CharField(label="走访情况", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class PaymentForm(forms.Form):
    month = MonthField(label="所属月份")
    amount = forms.DecimalField(label="金额（元）", max_digits=10, decimal_places=2, min_value=0)
    paid_on = forms.DateField(label="交纳日期", widget=DATE, initial=today_initial)
    note = forms.CharField(
        label="备注", max_length=200, required=False, help_text="金额与按规定计算的不一致时必填"
    )


class CollectForm(forms.Form):
    """The dues page's bulk form: the branch and month come from the page's filter."""

    org = forms.IntegerField(widget=forms.HiddenInput)
    month = MonthField(widget=forms.HiddenInput)
    paid_on = forms.DateField(label="交纳日期", widget=DATE, initial=today_initial)
    member_ids = IdListField(required=False)


class ReceiptForm(forms.Form):
    received_on = forms.DateField(label="接收日期", widget=DATE, initial=today_initial)


class CancelForm(forms.Form):
    note = forms.CharField(label="撤回原因", max_length=300, required=False)
