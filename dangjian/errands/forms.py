"""Forms of the errands pages. They only shape input: the rules and their Chinese messages are the
services', and the views put each message beside its field."""

from __future__ import annotations

from django import forms

from dangjian.members.forms import DATE_FORMATS, DateInput
from dangjian.orgs.models import Org

from . import rules as R
from .choices import CATEGORIES
from .models import ServiceCentre, ServiceSession

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class CentreChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.org.name} · {obj.name}"


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} · {obj.name}" if obj.parent_id else obj.name


class ServiceForm(forms.Form):
    township = OrgChoiceField(queryset=Org.objects.none(), label="乡镇（街道）", empty_label="请选择")
    category = forms.CharField(
        label="类别",
        max_length=40,
        help_text="如：" + "、".join(CATEGORIES),
        widget=forms.TextInput(attrs={"list": "errand-categories"}),
    )
    name = forms.CharField(label="事项名称", max_length=80)
    documents = forms.CharField(
        label="所需材料", max_length=1000, required=False, widget=TEXTAREA, help_text="每行一项"
    )
    promised_days = forms.IntegerField(
        label="承诺办结时限（工作日）",
        min_value=0,
        max_value=R.PROMISED_DAYS_MAX,
        help_text="0 表示当场办结",
    )
    handled_by = forms.CharField(label="承办科室（部门）", max_length=60, required=False)
    published = forms.BooleanField(label="在公开目录中显示", required=False, initial=True)
    sort_order = forms.IntegerField(label="排序", initial=0, required=False, help_text="小的在前")

    def __init__(self, *args, townships=None, **kwargs):
        super().__init__(*args, **kwargs)
        if townships is None:
            del self.fields["township"]
        else:
            self.fields["township"].queryset = townships


class CentreForm(forms.Form):
    township = OrgChoiceField(queryset=Org.objects.none(), label="乡镇（街道）", empty_label="请选择")
    name = forms.CharField(label="名称", max_length=60, help_text="如：第一便民服务中心")
    place = forms.CharField(label="地点", max_length=120, required=False, help_text="如：后安定村村委会")
    phone = forms.CharField(label="联系电话", max_length=20, required=False)

    def __init__(self, *args, townships=None, **kwargs):
        super().__init__(*args, **kwargs)
        if townships is None:
            del self.fields["township"]
        else:
            self.fields["township"].queryset = townships


class SessionForm(forms.Form):
    centre = CentreChoiceField(
        queryset=ServiceCentre.objects.none(),
        label="便民服务中心",
        empty_label="请选择",
        error_messages={"invalid_choice": "所选便民服务中心不存在或已停用。"},
    )
    date = forms.DateField(label="日期", widget=DateInput(), input_formats=DATE_FORMATS)
    half = forms.ChoiceField(label="时段", choices=[("", "请选择"), *ServiceSession.Half.choices])
    sections = forms.CharField(
        label="下村科室（部门）",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="用顿号、逗号或换行分隔，如：司法所、规划科、民政科",
    )
    note = forms.CharField(label="说明", max_length=200, required=False)
    served = forms.IntegerField(label="服务群众人次", min_value=0, required=False, help_text="半天结束后填写")

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres.select_related("org")


class DiaryForm(forms.Form):
    org = VillageChoiceField(
        queryset=Org.objects.none(),
        label="村（社区）",
        empty_label="请选择",
        error_messages={"invalid_choice": "所选村（社区）不在您的管理范围内。"},
    )
    written_on = forms.DateField(label="日期", widget=DateInput(), input_formats=DATE_FORMATS)
    visited = forms.CharField(
        label="走访对象", max_length=100, required=False, help_text="如：老党员张某某家"
    )
    content = forms.CharField(label="民情记录", max_length=2000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, villages, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = villages.select_related("parent")
