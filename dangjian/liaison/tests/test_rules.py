"""The contact target's colours at the boundary, and the rules registered with their sources."""

from dangjian.core.rules import REGISTRY
from dangjian.liaison.selectors import standing


def test_contact_target_boundary():
    assert standing(4, 4) == "success"
    assert standing(3, 4) == "warning"
    assert standing(0, 4) == "danger"


def test_rules_have_sources():
    for code in ("liaison.term_years", "liaison.no_township_cppcc", "liaison.contacts_per_year"):
        assert REGISTRY[code].source
    assert REGISTRY["liaison.term_years"].value == 5
    assert REGISTRY["liaison.contacts_per_year"].overridable
