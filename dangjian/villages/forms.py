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
