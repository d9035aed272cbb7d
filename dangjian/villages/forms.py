from django import forms

from dangjian.members.choices import Gender

from .models import CommitteeKind, PostKind

DATE = forms.DateInput(attrs={"type": "date"})


class CommitteeForm(forms.Form):
    kind = forms.ChoiceField(choices=CommitteeKind.choices, label="班子")
    term_start = forms.DateField(label="任期开始", widget=DATE)
    next_election_on = forms.DateField(
        label="下次换届日期", widget=DATE, required=False, help_text="不填则为任期届满之日（5年）"
    )


class AppointForm(forms.Form):
    kind = forms.ChoiceField(choices=PostKind.choices, label="职务")
    name = forms.CharField(label="姓名", max_length=40)
    gender = forms.ChoiceField(choices=Gender.choices, label="性别")
    since = forms.DateField(label="任职日期", widget=DATE)
    answers_for = forms.CharField(
        label="分管/负责", max_length=60, required=False, help_text="定补干部必填，如：电商销售"
    )
    duties = forms.CharField(
        label="职责清单", max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class EndPostForm(forms.Form):
    until = forms.DateField(label="离任日期", widget=DATE)
    reason = forms.CharField(label="离任原因", max_length=100)


class ProfileForm(forms.Form):
    residents = forms.IntegerField(label="常住人口", min_value=0)
    households = forms.IntegerField(label="户数", min_value=0, required=False)
    adults = forms.IntegerField(label="18周岁以上村民", min_value=0, required=False)


class SeatTableForm(forms.Form):
    county = forms.ModelChoiceField(queryset=None, label="县（区）")
    rows = forms.CharField(
        label="职数表",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一档：常住人口上限 职数，如“500 5”表示500人以下核定5个",
    )
    source = forms.CharField(label="依据", max_length=200)

    def __init__(self, *args, counties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = counties

    def clean_rows(self):
        rows = []
        for i, line in enumerate(self.cleaned_data["rows"].splitlines(), start=1):
            parts = line.replace("，", " ").replace(",", " ").split()
            if not parts:
                continue
            if len(parts) != 2:
                raise forms.ValidationError(f"第{i}行应为“人口上限 职数”两个数。")
            rows.append((parts[0], parts[1]))
        return rows


TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class DutySlotForm(forms.Form):
    post_id = forms.IntegerField(label="值班干部", widget=forms.Select)
    date = forms.DateField(
        label="值班日期（单次）", widget=DATE, required=False, help_text="填日期则只排这一天"
    )
    weekday = forms.TypedChoiceField(
        label="每周几（长期）", coerce=int, required=False, empty_value=None, choices=[("", "—")]
    )
    valid_from = forms.DateField(
        label="起始日期", widget=DATE, required=False, help_text="每周值班的起始日期，默认今天"
    )
    start = forms.TimeField(label="开始时间", widget=TIME)
    end = forms.TimeField(label="结束时间", widget=TIME)
    note = forms.CharField(label="说明", max_length=100, required=False)

    def __init__(self, *args, posts=(), **kwargs):
        from .models import Weekday

        super().__init__(*args, **kwargs)
        self.fields["post_id"].widget.choices = [("", "请选择")] + [
            (p.pk, f"{p.name}（{p.committee.get_kind_display()}{p.get_kind_display()}）") for p in posts
        ]
        self.fields["weekday"].choices = [("", "—"), *Weekday.choices]


class DutyCheckInForm(forms.Form):
    date = forms.DateField(label="日期", widget=DATE)
    status = forms.ChoiceField(label="到岗情况")
    replaced_by_id = forms.IntegerField(
        label="替班干部", required=False, widget=forms.Select, help_text="替班时必选"
    )
    note = forms.CharField(label="说明", max_length=100, required=False)

    def __init__(self, *args, posts=(), **kwargs):
        from .models import DutyStatus

        super().__init__(*args, **kwargs)
        self.fields["status"].choices = DutyStatus.choices
        self.fields["replaced_by_id"].widget.choices = [("", "—")] + [(p.pk, p.name) for p in posts]


class DutyEndForm(forms.Form):
    until = forms.DateField(label="截止日期", widget=DATE, help_text="这一天之后不再值班")
