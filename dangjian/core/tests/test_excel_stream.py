"""Excel exports read the list in chunks: the same cells as django-tables2's `as_values`, in the table's
order, without caching the queryset (a million-row export keeps constant memory; bench/run.py measures it)."""

import pytest

from dangjian.core.excel import table_values
from dangjian.core.roles import Role
from dangjian.orgs.models import Org
from dangjian.orgs.tables import OrgTable


@pytest.mark.parametrize("order_by", ["name", "-name", None])
def test_streamed_values_equal_as_values_in_order(world, order_by):
    qs = Org.objects.restrict(world.user(Role.COUNTY_ADMIN), "view")
    streamed = list(table_values(OrgTable(qs, order_by=order_by), chunk_size=2))
    table = OrgTable(qs, order_by=order_by)
    assert streamed == list(table.as_values()) and len(streamed) > 5


def test_the_queryset_is_not_cached(world):
    table = OrgTable(Org.objects.all())
    rows = sum(1 for _ in table_values(table, chunk_size=3))
    assert rows == Org.objects.count() + 1 and table.data.data._result_cache is None


def test_a_list_that_is_not_a_queryset_still_exports(world):
    table = OrgTable(list(Org.objects.all()[:3]))
    assert len(list(table_values(table))) == 4
