import django_tables2 as tables

from .models import Department, Grid, Org

TABLE_ATTRS = {"class": "table table-sm table-hover align-middle"}


class OrgTable(tables.Table):
    name = tables.Column(linkify=True, verbose_name="名称")
    kind = tables.Column(verbose_name="类型")
    code = tables.Column(verbose_name="编码")
    parent = tables.Column(verbose_name="上级组织", order_by=("parent__name",))
    archived_at = tables.DateTimeColumn(format="Y-m-d", verbose_name="归档时间")

    class Meta:
        model = Org
        fields = ["name", "kind", "code", "parent", "archived_at"]
        attrs = TABLE_ATTRS
        order_by = "path"


class OrgExportTable(tables.Table):
    """Same columns as the import template, so an export can be edited and imported elsewhere."""

    code = tables.Column(verbose_name="编码")
    name = tables.Column(verbose_name="名称")
    kind = tables.Column(verbose_name="类型")
    parent_code = tables.Column(accessor="parent__code", verbose_name="上级编码")
    sort_order = tables.Column(verbose_name="排序")
    parent = tables.Column(verbose_name="上级组织")
    archived_at = tables.DateTimeColumn(format="Y-m-d", verbose_name="归档时间")

    class Meta:
        model = Org
        fields = ["code", "name", "kind", "parent_code", "sort_order", "parent", "archived_at"]


class DepartmentTable(tables.Table):
    name = tables.Column(verbose_name="部门名称")
    county = tables.Column(verbose_name="所属县")
    code = tables.Column(verbose_name="编码")
    phone = tables.Column(verbose_name="联系电话")

    class Meta:
        model = Department
        fields = ["name", "county", "code", "phone"]
        attrs = TABLE_ATTRS


class GridTable(tables.Table):
    name = tables.Column(verbose_name="网格名称")
    org = tables.Column(verbose_name="所属乡镇/社区", order_by=("org__path",))
    leader_name = tables.Column(verbose_name="网格长")
    households = tables.Column(verbose_name="户数")
    code = tables.Column(verbose_name="编码")

    class Meta:
        model = Grid
        fields = ["name", "org", "leader_name", "households", "code"]
        attrs = TABLE_ATTRS
