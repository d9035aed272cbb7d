from django import forms

from .choices import ALLOWED_CHILDREN, OrgKind
from .models import Org


class OrgCreateForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    kind = forms.ChoiceField(label="类型", choices=OrgKind.choices)
    code = forms.CharField(
        label="编码", max_length=200, required=False, help_text="可留空；用于 Excel 导入导出时指认上级"
    )
    sort_order = forms.IntegerField(label="排序", required=False, initial=0)
    confirm = forms.BooleanField(label="我已知晓上述提醒，仍要保存", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, parent: Org, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ALLOWED_CHILDREN[parent.kind]
        self.fields["kind"].choices = [(k, v) for k, v in OrgKind.choices if k in allowed]


class OrgEditForm(forms.Form):
    name = forms.CharField(label="名称", max_length=200)
    code = forms.CharField(label="编码", max_length=200, required=False)
    sort_order = forms.IntegerField(label="排序", required=False)


class OrgMoveForm(forms.Form):
    new_parent = forms.IntegerField(label="新的上级组织编号", widget=forms.HiddenInput)
    new_parent_search = forms.CharField(
        label="新的上级组织", required=False, help_text="输入名称、拼音或首字母搜索后选择"
    )
    confirm = forms.BooleanField(label="我已知晓上述提醒，仍要移动", required=False, widget=forms.HiddenInput)


class OrgImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
    confirm = forms.BooleanField(label="站点超出上限时仍然导入", required=False)
