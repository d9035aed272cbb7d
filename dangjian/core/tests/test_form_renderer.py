"""The platform's form renderer writes selects exactly as Django's own templates do, only faster."""

from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

from dangjian.core.form_renderer import FormRenderer


class Picker(forms.Form):
    org = forms.ChoiceField(
        choices=[("", "全部"), (1, "甲村 <党支部>"), ("镇", [(2, "乙村"), (3, "丙村 & 丁村")])],
        required=False,
    )
    kinds = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B")], required=False)
    flag = forms.NullBooleanField(required=False)


class WithData(forms.Select):
    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"].update({"data-branch": 7, "hidden": True, "data-off": False})
        return option


def test_selects_render_as_django_renders_them():
    assert isinstance(get_default_renderer(), FormRenderer)
    form = Picker({"org": "3", "kinds": ["a", "b"], "flag": "true"})
    form.fields["org"].widget.attrs["class"] = "form-select"
    for name in ("org", "kinds", "flag"):
        ours = form[name].as_widget(attrs={"data-x": '"q"'})
        form.renderer = DjangoTemplates()
        django_own = form[name].as_widget(attrs={"data-x": '"q"'})
        form.renderer = None
        assert ours == django_own
        assert "selected" in ours
    assert "甲村 &lt;党支部&gt;" in form["org"].as_widget()
    select = WithData(choices=[(1, "一"), (2, "二")])
    assert select.render("b", 2, renderer=FormRenderer()) == select.render("b", 2, renderer=DjangoTemplates())
    assert 'data-branch="7" hidden' in select.render("b", 2, renderer=FormRenderer())
