"""Forms of the office pages. They only shape input: the rules and their Chinese messages are the
services', and the views put each message beside its field. Choices are limited to what the user may
act on, so an out-of-scope org or person is an invalid choice, never a write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from dangjian.members.forms import DATE_FORMATS, DateInput
from dangjian.orgs.models import Org

from .choices import CandidateSource, PostKind, ReviewDecision, SelectionRoute, StepKind, VisitLength
from .models import Post


def _date(label: str, required: bool = True, **kw: Any) -> forms.DateField:
    return forms.DateField(
        label=label, widget=DateInput(), input_formats=DATE_FORMATS, required=required, **kw
    )


def _choice(
    label: str, options: list[tuple[Any, str]], required: bool = True, blank: str = "请选择"
) -> forms.ChoiceField:
    return forms.TypedChoiceField(
        label=label, choices=[("", blank)] + list(options), coerce=int, required=required, empty_value=None
    )


class PostForm(forms.Form):
    name = forms.CharField(label="岗位名称", max_length=40)
    kind = forms.ChoiceField(label="岗位类别", choices=PostKind.choices, initial=PostKind.STAFF)
    full_time = forms.BooleanField(label="专职岗位（不勾选为兼职）", required=False, initial=True)
    sort_order = forms.IntegerField(label="排序", min_value=0, required=False)


class PostCreateForm(PostForm):
    township = _choice("乡镇", [])
    field_order = ["township", "name", "kind", "full_time", "sort_order"]

    def __init__(self, *args: Any, townships: list[Org], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [("", "请选择")] + [(t.pk, t.name) for t in townships]


class DutiesForm(forms.Form):
    duties = forms.CharField(
        label="岗位职责（每行一项，按顺序）",
        widget=forms.Textarea(attrs={"rows": 14}),
        required=False,
        help_text="每行写一项职责；行首编号（如“1.”“（2）”）会自动去掉。",
    )


class AppointForm(forms.Form):
    user = _choice("在岗人员", [])
    since = _date("到岗日期")
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "请选择")] + people
        self.fields["since"].initial = timezone.localdate()


class SelectionForm(forms.Form):
    township = _choice("乡镇", [])
    candidate_name = forms.CharField(label="候选人姓名", max_length=30)
    candidate_user = _choice("候选人系统账号（已有的）", [], required=False, blank="暂无")
    source = forms.ChoiceField(
        label="人员来源", choices=CandidateSource.choices, initial=CandidateSource.OTHER
    )
    route = forms.ChoiceField(label="产生方式", choices=SelectionRoute.choices)
    by_name = forms.CharField(
        label="推荐领导（自荐可不填）",
        max_length=60,
        required=False,
        help_text="如：分管领导 张某某（镇党委副书记）",
    )
    done_on = _date("自荐（推荐）日期")
    opinion = forms.CharField(
        label="自荐（推荐）理由", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(
        self, *args: Any, townships: list[Org], people: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [("", "请选择")] + [(t.pk, t.name) for t in townships]
        self.fields["candidate_user"].choices = [("", "暂无")] + people
        self.fields["done_on"].initial = timezone.localdate()


class StepForm(forms.Form):
    kind = forms.ChoiceField(label="环节", choices=StepKind.choices)
    done_on = _date("日期")
    by_name = forms.CharField(label="办理人（单位）", max_length=60, required=False)
    decision = forms.ChoiceField(
        label="审核结果", choices=[("", "—")] + ReviewDecision.choices, required=False
    )
    opinion = forms.CharField(
        label="意见 / 说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    post = _choice("任用岗位", [], required=False, blank="—")

    def __init__(self, *args: Any, kinds: list[str], posts: list[Post], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, StepKind(k).label) for k in kinds]
        self.fields["post"].choices = [("", "—")] + [(p.pk, p.name) for p in posts]
        self.fields["done_on"].initial = timezone.localdate()


class AssignForm(forms.Form):
    """Pick a staff member for a branch: the one-step form of the coverage page."""

    branch = _choice("党支部", [])
    staff = _choice("联系人", [])
    since = _date("起始日期", required=False)

    def __init__(
        self, *args: Any, branches: list[tuple[int, str]], staff: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["branch"].choices = [("", "请选择")] + branches
        self.fields["staff"].choices = [("", "请选择")] + staff


class EndContactForm(forms.Form):
    until = _date("结束日期", required=False)


class FieldVisitForm(forms.Form):
    staff = _choice("工作人员", [])
    org = _choice("到访村（社区）", [])
    visited_on = _date("日期")
    half_days = forms.TypedChoiceField(
        label="时长", choices=VisitLength.choices, coerce=int, initial=VisitLength.FULL
    )
    purpose = forms.CharField(
        label="工作内容", max_length=200, help_text="如：列席指导主题党日、走访困难党员、调研村集体经济"
    )
    found = forms.CharField(
        label="发现的问题", max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up = forms.CharField(label="后续措施", max_length=500, required=False)
    needs_follow_up = forms.BooleanField(label="需跟进（可转入问题台账）", required=False)

    def __init__(
        self, *args: Any, staff: list[tuple[int, str]], branches: list[tuple[int, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].choices = [("", "请选择")] + staff
        self.fields["org"].choices = [("", "请选择")] + branches
        self.fields["visited_on"].initial = timezone.localdate()


class LeaderForm(forms.Form):
    county = _choice("县（区）", [])
    name = forms.CharField(label="姓名", max_length=30)
    title = forms.CharField(label="职务", max_length=60)
    year = forms.IntegerField(label="年度")
    user = _choice("系统账号（可不选）", [], required=False, blank="无")
    villages = forms.TypedMultipleChoiceField(
        label="包联村", choices=[], coerce=int, widget=forms.SelectMultiple(attrs={"size": 10})
    )
    note = forms.CharField(label="说明", max_length=200, required=False)

    def __init__(
        self,
        *args: Any,
        counties: list[Org],
        villages: list[tuple[int, str]],
        people: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", "请选择")] + [(c.pk, c.name) for c in counties]
        self.fields["villages"].choices = villages
        self.fields["user"].choices = [("", "无")] + people
        self.fields["year"].initial = timezone.localdate().year


class LeaderVisitForm(forms.Form):
    village = _choice("到访村", [])
    visited_on = _date("到村日期")
    activity = forms.CharField(label="开展工作", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, villages: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["village"].choices = [("", "请选择")] + villages
        self.fields["visited_on"].initial = timezone.localdate()


class StaffRequestForm(forms.Form):
    """A township's request to the county (人员提级管理); the posts and people offered are its own."""

    township = _choice("乡镇", [])
    kind = forms.ChoiceField(label="事项", choices=[("", "请选择")])
    person = _choice("人员", [])
    post = _choice("岗位", [])
    to_post = _choice("调整到岗位", [], required=False, blank="—")
    to_unit = forms.CharField(
        label="调出到单位", max_length=60, required=False, help_text="调出本党建办时填写"
    )
    year = forms.IntegerField(label="考核年度", required=False)
    grade = forms.ChoiceField(label="考核等次", required=False)
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        townships: list[Org],
        people: list[tuple[int, str]],
        posts: list[Post],
        **kwargs: Any,
    ) -> None:
        from .choices import AppraisalGrade, RequestKind

        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [("", "请选择")] + [(t.pk, t.name) for t in townships]
        self.fields["kind"].choices = [("", "请选择"), *RequestKind.choices]
        self.fields["person"].choices = [("", "请选择")] + people
        options = [(p.pk, f"{p.org.name}·{p.name}") for p in posts]
        self.fields["post"].choices = [("", "请选择")] + options
        self.fields["post"].help_text = "任用：拟任岗位；考核、调整：现任岗位"
        self.fields["to_post"].choices = [("", "—")] + options
        self.fields["grade"].choices = [("", "—"), *AppraisalGrade.choices]


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="审批", choices=[("approve", "批准"), ("return", "退回")])
    note = forms.CharField(
        label="意见（退回时必填）", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ResubmitForm(forms.Form):
    reason = forms.CharField(label="修改说明", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
