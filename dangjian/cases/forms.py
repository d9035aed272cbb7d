"""Forms of the case pages and the choices they offer. Forms only shape input: the rules and their
Chinese messages are services.py's, and the views put each message beside its field.

Choices come from the user's own place in the tree: orgs where they may open a case, grids they cover
(a grid leader's own grids), their county's categories, departments and people. A county's people
can be many, so a people list shows those around the case (up the chain and below) and a name search
(`?who=`) reaches anyone else working in the county; a posted id is accepted only if that person
works in the county."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet

from dangjian.accounts.models import RoleAssignment, User
from dangjian.core.roles import Role
from dangjian.core.scope import path_q, role_paths, scope_prefixes, side_ids
from dangjian.errands.models import ErrandService
from dangjian.members.forms import DATE_FORMATS, DateInput
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Department, Grid, Org

from .choices import CaseKind, Priority, Satisfaction, Source
from .kinds import KINDS
from .models import CASE_POLICY, Category

TEXTAREA = forms.Textarea(attrs={"rows": 3})
PEOPLE_SHOWN = 200
CASE_ORG_KINDS = {
    CaseKind.PROBLEM: (
        OrgKind.TOWNSHIP,
        OrgKind.STATION,
        OrgKind.JOINT_BRANCH,
        OrgKind.BRANCH,
        OrgKind.COMMUNITY,
    ),
    CaseKind.ERRAND: (OrgKind.BRANCH, OrgKind.COMMUNITY),
}
FILES_HELP = "可多选；只收图片（JPG、PNG）和文档（PDF、Word docx、Excel xlsx）。"


# --- where choices come from -----------------------------------------------------------------------


def _prefixes(path: str) -> list[str]:
    """`/1/2/3/` → [`/1/`, `/1/2/`, `/1/2/3/`]: the paths of a node and its ancestors."""
    parts = [p for p in path.strip("/").split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def orgs_around(user: Any, kind: str) -> QuerySet[Org]:
    """Orgs of `kind` above or below the orgs where the user holds a role (their county, their
    township): where a village secretary's errand catalogue and categories come from."""
    qs = Org.objects.filter(kind=kind, archived_at__isnull=True)
    if user.is_superuser:
        return qs
    q = Q(pk__in=[])
    for _, p in role_paths(user):
        q |= Q(path__startswith=p) | Q(path__in=_prefixes(p))
    return qs.filter(q)


def categories_for(user: Any, kind: str | None = None) -> QuerySet[Category]:
    qs = Category.objects.filter(county__in=orgs_around(user, OrgKind.COUNTY), archived_at__isnull=True)
    return qs.filter(kind=kind) if kind else qs


def opening_orgs(user: Any, kind: str) -> QuerySet[Org]:
    """Orgs against which the user may open a case of `kind` (tree roles that may open it)."""
    spec = KINDS[kind]
    qs = Org.objects.filter(kind__in=CASE_ORG_KINDS.get(kind, ()), archived_at__isnull=True)
    if user.is_superuser:
        return qs.order_by("path")
    roles = (CASE_POLICY["add"] & spec.open_roles) - {Role.GRID_LEADER, Role.DEPT_LIAISON}
    prefixes = scope_prefixes(user, roles)
    return qs.filter(path_q("path", prefixes)).order_by("path") if prefixes else qs.none()


def opening_grids(user: Any) -> QuerySet[Grid]:
    """Grids a whistle may be raised on: a grid leader's own grids, and grids under the tree roles
    that may raise one."""
    qs = Grid.objects.filter(archived_at__isnull=True).select_related("org")
    if user.is_superuser:
        return qs.order_by("org__path", "name")
    roles = KINDS[CaseKind.WHISTLE].open_roles - {Role.GRID_LEADER, Role.DEPT_LIAISON}
    prefixes = scope_prefixes(user, roles)
    q = Q(pk__in=side_ids(user)[0])
    if prefixes:
        q |= path_q("org__path", prefixes)
    return qs.filter(q).order_by("org__path", "name")


def county_people(county_paths: list[str]) -> QuerySet[User]:
    """Active people holding a role somewhere in these counties (who may own or accept a case)."""
    if not county_paths:
        return User.objects.none()
    held = RoleAssignment.objects.filter(path_q("org__path", county_paths)).values("user_id")
    return User.objects.filter(pk__in=held, is_active=True).order_by("real_name", "pk")


def people_shown(
    county_paths: list[str], around: list[str], who: str = "", keep: list[Any] = ()
) -> list[User]:
    """The short list a people select shows: matches of the name search `who` anywhere in the counties,
    else people holding a role on the orgs at `around` paths, their ancestors or below them."""
    base = county_people(county_paths)
    who = (who or "").strip()
    if who:
        shown = base.filter(
            Q(real_name__icontains=who)
            | Q(name_initials__startswith=who.lower())
            | Q(username__icontains=who)
        )
    else:
        q = Q(pk__in=[])
        for p in around:
            q |= Q(org__path__startswith=p) | Q(org__path__in=_prefixes(p))
        ids = RoleAssignment.objects.filter(q).order_by("org__path").values_list("user_id", flat=True)
        shown = base.filter(pk__in=list(dict.fromkeys(ids[: PEOPLE_SHOWN * 2]))[:PEOPLE_SHOWN])
    people = list(shown[:PEOPLE_SHOWN])
    have = {p.pk for p in people}
    return [*[k for k in keep if k is not None and k.pk not in have], *people]


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


NOT_IN_COUNTY = "所选人员不存在或不在本县工作。"


def person(label: str, required: bool = False, **kw) -> PersonField:
    return PersonField(
        queryset=User.objects.none(),
        label=label,
        required=required,
        empty_label="（无）" if not required else "请选择",
        error_messages={"invalid_choice": NOT_IN_COUNTY},
        **kw,
    )


def set_people(form: forms.Form, names: list[str], county_paths: list[str], shown: list[User]) -> None:
    """Validate against everyone in the counties; show only the short list."""
    valid = county_people(county_paths)
    for name in names:
        field = form.fields[name]
        field.queryset = valid
        options = [(p.pk, p.display_name) for p in shown]
        field.widget.choices = (
            options if field.widget.allow_multiple_selected else [("", field.empty_label)] + options
        )


# --- fields ----------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files at once; the services check their kind, content and size."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", "佐证材料")
        kwargs.setdefault("help_text", FILES_HELP)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        items = data if isinstance(data, list | tuple) else [data]
        return [f for f in (single(d, initial) for d in items if d) if f]


def _date(label: str, required: bool = False, **kw) -> forms.DateField:
    return forms.DateField(
        label=label, widget=DateInput(), input_formats=DATE_FORMATS, required=required, **kw
    )


def _text(label: str, max_length: int, required: bool = False, area: bool = False, **kw) -> forms.CharField:
    return forms.CharField(
        label=label, max_length=max_length, required=required, widget=TEXTAREA if area else None, **kw
    )


class OrgField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{'　' * max(obj.depth - 3, 0)}{obj.name}"


class GridField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.org.name} · {obj.name}"


class ServiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.category} · {obj.name}（{obj.promised_days}个工作日）"


class DepartmentsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def _choices(values, labels) -> list[tuple[str, str]]:
    return [(v, labels(v).label) for v in values]


# --- opening and editing ---------------------------------------------------------------------------


class CaseForm(forms.Form):
    """The fields every kind shares; each kind's form adds its own and declares its order."""

    title = _text("标题", 100, required=True)
    description = _text("情况描述", 3000, area=True)
    files = MultipleFileField()

    def __init__(self, *args, user, county_paths: list[str], around: list[str], who: str = "", **kw):
        super().__init__(*args, **kw)
        self.user = user
        self.county_paths = county_paths
        people = [n for n in ("owner", "co_owners", "acceptor") if n in self.fields]
        if people:
            keep = [self.initial.get("owner"), self.initial.get("acceptor")]
            set_people(self, people, county_paths, people_shown(county_paths, around, who, keep))
        if "category" in self.fields:
            self.fields["category"].queryset = categories_for(user, self.kind)
        if "source" in self.fields:
            sources = KINDS[self.kind].sources
            self.fields["source"].choices = [("", "请选择"), *_choices(sources, Source)]
            self.fields["source"].initial = sources[0]

    def preselect_single(self, name: str) -> None:
        """Where there is only one choice (a secretary's own village), choose it."""
        options = list(self.fields[name].queryset[:2])
        if len(options) == 1 and not self.initial.get(name):
            self.fields[name].initial = options[0].pk


class ProblemForm(CaseForm):
    kind = CaseKind.PROBLEM
    org = OrgField(queryset=Org.objects.none(), label="所属组织", empty_label="请选择")
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(), label="类别", required=False, empty_label="（未分类）"
    )
    source = forms.ChoiceField(label="来源")
    measures = _text("整改措施", 3000, area=True)
    responsibility = _text("责任清单", 2000, area=True, help_text="谁负责哪一项")
    owner = person("责任人", required=True)
    co_owners = PeopleField(
        queryset=User.objects.none(),
        label="协办人",
        required=False,
        error_messages={"invalid_choice": NOT_IN_COUNTY},
        help_text="可多选",
    )
    acceptor = person("验收人", help_text="验收须由责任人以外的人办理；不指定时由上级验收")
    deadline = _date("整改时限", help_text="不填按本县默认时限")
    priority = forms.ChoiceField(label="紧急程度", choices=Priority.choices, initial=Priority.NORMAL)
    place = _text("地点", 120)
    field_order = [
        "org",
        "category",
        "source",
        "title",
        "description",
        "measures",
        "responsibility",
        "owner",
        "co_owners",
        "acceptor",
        "deadline",
        "priority",
        "place",
        "files",
    ]

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["org"].queryset = opening_orgs(self.user, self.kind)
        self.preselect_single("org")


class ErrandForm(CaseForm):
    kind = CaseKind.ERRAND
    org = OrgField(queryset=Org.objects.none(), label="所属村（社区）", empty_label="请选择")
    service = ServiceField(
        queryset=ErrandService.objects.none(),
        label="代办事项",
        empty_label="请选择",
        error_messages={"invalid_choice": "代办事项不在本乡镇的目录中。"},
    )
    source = forms.ChoiceField(label="受理方式")
    resident_name = _text("群众姓名", 30, required=True)
    resident_phone = _text("群众电话", 20)
    title = _text("标题", 100, help_text="不填时用代办事项名称")
    field_order = [
        "org",
        "service",
        "source",
        "resident_name",
        "resident_phone",
        "title",
        "description",
        "files",
    ]

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["org"].queryset = opening_orgs(self.user, self.kind)
        self.preselect_single("org")
        self.fields["service"].queryset = catalogue_for(self.user)


def catalogue_for(user: Any) -> QuerySet[ErrandService]:
    """The published errands of the townships the user works in (the catalogue is public)."""
    return ErrandService.objects.filter(
        org__in=orgs_around(user, OrgKind.TOWNSHIP), archived_at__isnull=True
    ).order_by("org__path", "sort_order", "category", "name")


class WhistleForm(CaseForm):
    kind = CaseKind.WHISTLE
    grid = GridField(queryset=Grid.objects.none(), label="网格", empty_label="请选择")
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(),
        label="类别",
        required=False,
        empty_label="（未分类）",
        help_text="类别决定默认派单部门和时限",
    )
    place = _text("地点", 120)
    priority = forms.ChoiceField(label="紧急程度", choices=Priority.choices, initial=Priority.NORMAL)
    field_order = ["grid", "category", "title", "description", "place", "priority", "files"]

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.fields["grid"].queryset = opening_grids(self.user)


NEW_FORMS: dict[str, type[CaseForm]] = {
    CaseKind.PROBLEM: ProblemForm,
    CaseKind.ERRAND: ErrandForm,
    CaseKind.WHISTLE: WhistleForm,
}


class EditForm(forms.Form):
    """What a case says (services.EDITABLE), not its state."""

    title = _text("标题", 100, required=True)
    category = forms.ModelChoiceField(
        queryset=Category.objects.none(), label="类别", required=False, empty_label="（未分类）"
    )
    description = _text("情况描述", 3000, area=True)
    measures = _text("整改/办理措施", 3000, area=True)
    responsibility = _text("责任清单", 2000, area=True)
    place = _text("地点", 120)
    priority = forms.ChoiceField(label="紧急程度", choices=Priority.choices)
    deadline = _date("办结时限", required=True)
    acceptor = person("验收人")
    co_owners = PeopleField(
        queryset=User.objects.none(),
        label="协办人",
        required=False,
        error_messages={"invalid_choice": NOT_IN_COUNTY},
    )

    def __init__(self, *args, case, who: str = "", **kw):
        super().__init__(*args, **kw)
        county_paths = [case.county.path]
        keep = [case.acceptor, *case.co_owners.all()]
        set_people(
            self,
            ["acceptor", "co_owners"],
            county_paths,
            people_shown(county_paths, [case.org.path], who, keep),
        )
        self.fields["category"].queryset = Category.objects.filter(
            county_id=case.county_id, kind=case.kind, archived_at__isnull=True
        )
        if case.kind != CaseKind.PROBLEM:
            del self.fields["responsibility"]


# --- actions on the detail page --------------------------------------------------------------------


class Versioned(forms.Form):
    """Carries the case version the page was drawn from, so a stale page is told the case moved on."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class TransitionForm(Versioned):
    code = forms.CharField(widget=forms.HiddenInput)
    note = _text("说明", 2000, area=True)
    deadline = _date("承诺办结时限")
    files = MultipleFileField()

    def __init__(self, *args, transition=None, **kw):
        super().__init__(*args, **kw)
        code = transition.code if transition else self.data.get("code", "")
        if code != "promise":
            del self.fields["deadline"]
        if transition is not None:
            self.fields["note"].label = "说明（必填）" if transition.note_required else "说明"


class RouteForm(Versioned):
    departments = DepartmentsField(
        queryset=Department.objects.none(),
        label="派单部门",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": "只能派单到本县部门，所选部门不存在或不属于本县。",
            "required": "请至少选择一个部门。",
        },
        help_text="默认为该类别的派单部门，可更改",
    )
    lead = forms.ModelChoiceField(
        queryset=Department.objects.none(),
        label="牵头部门",
        required=False,
        empty_label="（第一个所选部门）",
        error_messages={"invalid_choice": "牵头部门须在派单部门之中。"},
    )
    acceptor = person("验收人", help_text="不指定时由派单人验收")
    note = _text("派单说明", 2000, area=True)

    def __init__(self, *args, case, who: str = "", **kw):
        super().__init__(*args, **kw)
        departments = Department.objects.filter(county_id=case.county_id, archived_at__isnull=True)
        self.fields["departments"].queryset = departments
        self.fields["lead"].queryset = departments
        county_paths = [case.county.path]
        set_people(
            self,
            ["acceptor"],
            county_paths,
            people_shown(county_paths, [case.org.path], who, [case.acceptor]),
        )


class DecideForm(Versioned):
    decision = forms.ChoiceField(
        label="报到或退回", choices=[("accept", "报到"), ("decline", "退回")], widget=forms.HiddenInput
    )
    reason = _text("退回理由", 300, area=True, help_text="退回时必填")


class SuperviseForm(forms.Form):
    note = _text("督办意见", 2000, area=True)
    files = MultipleFileField()


class NoteForm(forms.Form):
    note = _text("办理情况", 2000, area=True)
    files = MultipleFileField()


class HandoverForm(forms.Form):
    to = person("移交给", required=True)
    note = _text("移交说明", 2000, area=True)

    def __init__(self, *args, case, who: str = "", **kw):
        super().__init__(*args, **kw)
        county_paths = [case.county.path]
        set_people(self, ["to"], county_paths, people_shown(county_paths, [case.org.path], who))


class ReopenForm(Versioned):
    reason = _text("重新打开的理由", 2000, area=True)


class EscalateForm(forms.Form):
    note = _text("上报说明", 2000, area=True)


class PublishForm(forms.Form):
    public_title = _text("公开标题", 100, help_text="不填时用案件标题；不得含群众姓名、电话")
    public_result = _text("公开办理结果", 300, area=True)


class UnpublishForm(forms.Form):
    reason = _text("撤回理由", 300)


class SatisfactionForm(forms.Form):
    score = forms.TypedChoiceField(
        label="满意度", choices=[("", "请选择"), *Satisfaction.choices], coerce=int, empty_value=None
    )
    note = _text("回访记录", 300, area=True)


# --- categories -------------------------------------------------------------------------------------


class CategoryForm(forms.Form):
    county = OrgField(queryset=Org.objects.none(), label="县", empty_label="请选择")
    kind = forms.ChoiceField(label="类型", choices=[("", "请选择"), *CaseKind.choices])
    name = _text("类别名称", 40, required=True)
    deadline_days = forms.IntegerField(
        label="整改/办理时限（天）", required=False, help_text="问题台账、代办；不填用本县默认"
    )
    answer_days = forms.IntegerField(label="报到响应时限（天）", required=False, help_text="网格吹哨")
    solve_days = forms.IntegerField(label="办结时限（天）", required=False, help_text="网格吹哨")
    departments = DepartmentsField(
        queryset=Department.objects.none(),
        label="默认派单部门",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "默认派单部门须是本县部门。"},
        help_text="网格吹哨：派单时默认选中",
    )

    def __init__(self, *args, counties: QuerySet[Org], category: Category | None = None, **kw):
        super().__init__(*args, **kw)
        self.fields["county"].queryset = counties
        self.fields["departments"].queryset = Department.objects.filter(
            county__in=counties, archived_at__isnull=True
        ).order_by("county__path", "name")
        if category is not None:
            del self.fields["county"], self.fields["kind"]
