"""Forms of the stations pages. They only shape input: the rules and their Chinese messages are the
services', and the views put each message beside its field."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.members.forms import DATE_FORMATS, DateInput
from dangjian.orgs.models import Org

from .choices import ChecklistItem, Post, Session, System
from .models import StationStaff
from .selectors import branches_of

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y/%m/%d %H:%M"]
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _date(label: str, required: bool = True, **kw) -> forms.DateField:
    return forms.DateField(
        label=label, widget=DateInput(), input_formats=DATE_FORMATS, required=required, **kw
    )


def _text(label: str, max_length: int, required: bool = True, area: bool = False, **kw) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=TEXTAREA if area else None, **kw
    )


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class StaffForm(forms.Form):
    name = _text("姓名", 30)
    post = forms.ChoiceField(label="职务", choices=[("", "请选择"), *Post.choices])
    title = _text("本职", 60, required=False, help_text="如：镇党委委员、驻村干部、第一书记")
    phone = _text("联系电话", 20, required=False)
    since = _date("任职日期")
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="平台账号",
        required=False,
        empty_label="（无）",
        help_text="在本站或本乡镇任职的账号，如站长的账号",
    )

    def __init__(self, *args, station: Org, **kwargs):
        kwargs.setdefault("initial", {"since": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = accounts(station)


def accounts(station: Org, keep: int | None = None):
    """Active accounts with a role on the station or its township (and `keep`, the one already linked,
    so an unchanged link still validates after that account lost its role)."""
    q = Q(roles__org_id__in=[station.pk, station.parent_id], is_active=True)
    if keep is not None:
        q |= Q(pk=keep)
    return User.objects.filter(q).distinct().order_by("real_name")


class StaffEditForm(forms.Form):
    """Title, phone and account. The full phone is never put in the page: the field starts empty
    (blank keeps the number) and its help text shows the masked one."""

    title = _text("本职", 60, required=False, help_text="如：镇党委委员、驻村干部、第一书记")
    phone = _text("联系电话", 20, required=False)
    clear_phone = forms.BooleanField(label="清除联系电话", required=False)
    user = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="平台账号",
        required=False,
        empty_label="（无）",
        help_text="在本站或本乡镇任职的账号；选“（无）”解除关联",
    )

    def __init__(self, *args, staff: StationStaff, **kwargs):
        kwargs.setdefault("initial", {"title": staff.title, "user": staff.user_id})
        super().__init__(*args, **kwargs)
        self.staff = staff
        self.fields["phone"].help_text = f"当前：{staff.phone_masked or '未填写'}。不修改请留空。"
        self.fields["user"].queryset = accounts(staff.org, keep=staff.user_id)

    def clean(self):
        data = super().clean()
        if data.get("clear_phone") and data.get("phone"):
            self.add_error("clear_phone", "填写了新的联系电话就不要勾选“清除联系电话”。")
        return data

    def values(self) -> dict:
        """The service's arguments: a blank phone keeps the current number unless it is cleared."""
        d = self.cleaned_data
        phone = "" if d["clear_phone"] else (d["phone"] or self.staff.phone)
        return {"title": d["title"], "phone": phone, "user": d["user"]}


class EndStaffForm(forms.Form):
    until = _date("离任日期")


class ChecklistForm(forms.Form):
    item = forms.ChoiceField(label="项目", choices=[("", "请选择"), *ChecklistItem.choices])
    met = forms.BooleanField(label="已到位", required=False)
    note = _text("情况说明", 300, required=False, help_text="未到位的须说明情况")
    checked_on = _date("核查日期")
    evidence = forms.FileField(label="佐证材料", required=False, help_text="PDF、Word、JPG或PNG，不超过10MB")


class SystemForm(forms.Form):
    system = forms.ChoiceField(label="制度", choices=[("", "请选择"), *System.choices])
    in_force = forms.BooleanField(label="已建立并执行", required=False)
    posted = forms.BooleanField(label="已公开上墙", required=False)
    adopted_on = _date("建立日期", required=False)
    note = _text("说明", 300, required=False)
    checked_on = _date("核查日期")


class InspectionForm(forms.Form):
    branch = OrgChoiceField(
        queryset=Org.objects.none(),
        label="督查对象（村党组织）",
        empty_label="请选择",
        error_messages={"invalid_choice": "所选村党组织不在本站管辖范围内。"},
    )
    inspected_at = forms.DateTimeField(
        label="督查时间",
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    inspectors = _text("督查人员", 200)
    items_checked = _text("督查内容", 2000, area=True, help_text="如：三会一课、主题党日、问题整改、台账资料")
    problems = _text("发现问题", 2000, required=False, area=True)
    needs_follow_up = forms.BooleanField(label="需跟踪整改", required=False)

    def __init__(self, *args, station: Org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches_of(station)


class HalfDayForm(forms.Form):
    held_on = _date("日期")
    session = forms.ChoiceField(label="时段", choices=[("", "请选择"), *Session.choices])
    place = _text("地点", 100)
    staff_on_duty = _text("值班人员", 200)
    residents_served = forms.IntegerField(label="接待群众（人次）", min_value=0, initial=0)
    matters = _text("办理事项", 2000, required=False, area=True)


class RoundForm(forms.Form):
    topic = _text("调研课题", 200)
    started_on = _date("开始日期")
    ended_on = _date("结束日期")
    villages = forms.ModelMultipleChoiceField(
        queryset=Org.objects.none(),
        label="走访村",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "走访村须是本站所辖的村党组织。", "required": "请选择走访的村。"},
    )
    participants = _text("参加人员", 300)
    summary = _text("调研情况", 4000, required=False, area=True)

    def __init__(self, *args, station: Org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = branches_of(station)
        self.fields["villages"].label_from_instance = lambda o: o.name


class ReportForm(forms.Form):
    title = _text("报告标题", 200)
    text = _text("报告正文", 50000, required=False, area=True)
    file = forms.FileField(label="报告文件", required=False, help_text="PDF或Word（.docx），不超过10MB")
    submitted_on = _date("提交日期")


class PlanForm(forms.Form):
    township = OrgChoiceField(queryset=Org.objects.none(), label="乡镇（街道）", empty_label="请选择")
    year = forms.IntegerField(label="年度")
    topics = _text("调研课题", 2000, area=True, help_text="每行一个课题")
    schedule = _text("时间安排", 2000, required=False, area=True)

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships


class AppraisalForm(forms.Form):
    township = OrgChoiceField(queryset=Org.objects.none(), label="乡镇（街道）", empty_label="请选择")
    year = forms.IntegerField(label="评比年度")
    held_on = _date("召开日期")
    reviewers = _text("评审人员", 300)
    note = _text("会议情况", 4000, required=False, area=True)

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = townships
