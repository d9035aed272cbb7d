"""The two committees through the services: terms, posts, seats, 一肩挑, bad input refused with nothing
written, and scope."""

import datetime

import pytest

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.members.choices import Gender
from dangjian.villages import services
from dangjian.villages.models import Committee, CommitteeKind, Post, PostKind, SeatTable, VillageProfile
from dangjian.villages.selectors import cross_holdings, seats_of

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 1)
TODAY = datetime.date(2026, 6, 1)
M, F = Gender.MALE, Gender.FEMALE


def _committee(world, kind=CommitteeKind.VILLAGERS, org="sibling", **kw):
    return services.create_committee(world.root, world.orgs[org], kind=kind, term_start=START, **kw)


def _appoint(world, committee, kind, name, gender=M, **kw):
    actor = kw.pop("actor", world.root)
    return services.appoint(actor, committee, kind, name=name, gender=gender, since=START, today=TODAY, **kw)


def _counts():
    return Committee.objects.count(), Post.objects.count(), AuditEvent.objects.count()


def test_term_is_five_years_and_election_defaults_to_its_end(world):
    c = _committee(world)
    assert c.term_end == datetime.date(2031, 1, 1)
    assert c.next_election_on == c.term_end
    assert c.county == world.orgs["county"]
    assert AuditEvent.objects.filter(action="villages.committee.create", object_id=str(c.pk)).exists()


def test_committee_bad_input_refused(world):
    _committee(world)
    before = _counts()
    with pytest.raises(DomainError, match="已有登记"):
        services.create_committee(
            world.root,
            world.orgs["sibling"],
            kind=CommitteeKind.VILLAGERS,
            term_start=datetime.date(2028, 1, 1),
        )
    with pytest.raises(DomainError, match="任期5年"):
        _committee(world, kind=CommitteeKind.BRANCH, next_election_on=datetime.date(2031, 1, 2))
    with pytest.raises(DomainError, match="只能为村党组织或社区党组织"):
        _committee(world, org="township")
    with pytest.raises(DomainError, match="班子类别"):
        _committee(world, kind="other")
    assert _counts() == before
    # The next term may start the day the last one ends.
    services.create_committee(
        world.root, world.orgs["sibling"], kind=CommitteeKind.VILLAGERS, term_start=datetime.date(2031, 1, 1)
    )


def test_villagers_committee_of_seven_refuses_an_eighth(world):
    c = _committee(world)
    _appoint(world, c, PostKind.DIRECTOR, "主任甲")
    for i in range(6):
        _appoint(world, c, PostKind.MEMBER, f"委员{i}", F if i == 0 else M)
    before = _counts()
    with pytest.raises(DomainError, match="村民委员会已有7名成员，不能超过7人.*第六条"):
        _appoint(world, c, PostKind.DEPUTY_DIRECTOR, "委员八")
    assert _counts() == before
    # Someone leaving makes room again.
    post = Post.objects.get(committee=c, name="委员3")
    services.end_post(world.root, post, until=TODAY, reason="辞职", today=TODAY)
    _appoint(world, c, PostKind.DEPUTY_DIRECTOR, "委员八")


def test_post_bad_input_refused_with_nothing_written(world):
    c = _committee(world)
    _appoint(world, c, PostKind.DIRECTOR, "主任甲")
    before = _counts()
    cases = [
        (dict(kind=PostKind.SECRETARY, name="张三", gender=M, since=START), "没有这一职务"),
        (dict(kind=PostKind.DIRECTOR, name="李四", gender=M, since=START), "已有主任（主任甲）"),
        (dict(kind=PostKind.MEMBER, name="", gender=M, since=START), "请填写任职人姓名"),
        (dict(kind=PostKind.MEMBER, name="王五", gender="x", since=START), "请选择性别"),
        (dict(kind=PostKind.MEMBER, name="王五", gender=M, since=None), "请填写任职日期"),
        (dict(kind=PostKind.MEMBER, name="王五", gender=M, since=TODAY + datetime.timedelta(1)), "晚于今天"),
        (dict(kind=PostKind.SUBSIDY, name="王五", gender=M, since=START), "负责的工作"),
        (dict(kind=PostKind.MEMBER, name="王" * 41, gender=M, since=START), "不能超过40个字"),
    ]
    for kw, message in cases:
        kind = kw.pop("kind")
        with pytest.raises(DomainError, match=message):
            services.appoint(world.root, c, kind, today=TODAY, **kw)
    assert _counts() == before
    _appoint(world, c, PostKind.MEMBER, "王五")
    with pytest.raises(DomainError, match="王五已担任该职务"):
        _appoint(world, c, PostKind.MEMBER, "王五")


def test_fixed_subsidy_refused_when_seats_are_full(world):
    """大辛庄村: 188 residents → 5 seats; a sixth person as fixed-subsidy cadre is refused."""
    services.set_profile(world.root, world.orgs["sibling"], residents=188, households=60, today=TODAY)
    branch = _committee(world, kind=CommitteeKind.BRANCH)
    villagers = _committee(world)
    secretary = _appoint(world, branch, PostKind.SECRETARY, "郭凯")
    _appoint(world, villagers, PostKind.DIRECTOR, "郭凯")  # 一肩挑: one person, one seat
    _appoint(world, branch, PostKind.MEMBER, "委员一")
    _appoint(world, villagers, PostKind.MEMBER, "委员二", F)
    assert seats_of(world.orgs["sibling"].pk, world.orgs["county"].pk).used == 3
    _appoint(world, villagers, PostKind.SUBSIDY, "电商员", answers_for="电商销售")
    seats = seats_of(world.orgs["sibling"].pk, world.orgs["county"].pk)
    assert (seats.residents, seats.seats, seats.used, seats.full) == (188, 5, 4, False)
    _appoint(world, villagers, PostKind.MEMBER, "委员三")
    before = _counts()
    with pytest.raises(DomainError, match=r"该村职数已满（按本县职数表188人→5个）"):
        _appoint(world, villagers, PostKind.SUBSIDY, "第六人", answers_for="保洁")
    assert _counts() == before
    # Someone already counted may take the subsidy post too: no new seat.
    _appoint(world, branch, PostKind.SUBSIDY, "委员一", answers_for="矛盾调解")
    assert cross_holdings([world.orgs["sibling"].pk]) == {world.orgs["sibling"].pk: "郭凯"}
    notes = services.notes_for(world.root, world.orgs["sibling"])
    assert any("一肩挑" in n for n in notes)
    # The secretary leaves: 一肩挑 is over, the post is a vacancy.
    services.end_post(world.root, secretary, until=TODAY, reason="调任", today=TODAY)
    assert cross_holdings([world.orgs["sibling"].pk]) == {}
    vacancy = Post.objects.get(committee=branch, kind=PostKind.SECRETARY, name="")
    assert vacancy.vacant_since == TODAY
    filled = _appoint(world, branch, PostKind.SECRETARY, "曹爱玲", F)
    assert filled.pk == vacancy.pk and filled.vacant_since == TODAY


def test_seat_bands(world):
    county = world.orgs["county"]
    services.set_seat_table(world.root, county, [(500, 5), (1000, 6), (3000, 7)], source="县委组织部文件")
    assert list(SeatTable.objects.filter(county=county).values_list("max_residents", "seats")) == [
        (500, 5),
        (1000, 6),
        (3000, 7),
    ]
    for residents, seats in ((1, 5), (500, 5), (501, 6), (1000, 6), (1001, 7), (3000, 7), (3001, None)):
        services.set_profile(world.root, world.orgs["sibling"], residents=residents, today=TODAY)
        assert seats_of(world.orgs["sibling"].pk, county.pk).seats == seats, residents
    # The other county's table is its own.
    assert SeatTable.objects.filter(county=world.orgs["out_county"]).count() == 2


def test_seat_table_and_profile_bad_input(world):
    county = world.orgs["county"]
    before = list(SeatTable.objects.filter(county=county).values_list("max_residents", "seats"))
    for rows, message in (
        ([], "至少要有一行"),
        ([(500, 5), (500, 6)], "重复"),
        ([(500, 6), (1000, 5)], "职数不应更少"),
        ([("abc", 5)], "应为整数"),
        ([(500, 0)], "大于0"),
    ):
        with pytest.raises(DomainError, match=message):
            services.set_seat_table(world.root, county, rows, source="文件")
    with pytest.raises(DomainError, match="依据"):
        services.set_seat_table(world.root, county, [(500, 5)], source=" ")
    with pytest.raises(DomainError, match="按县设定"):
        services.set_seat_table(world.root, world.orgs["township"], [(500, 5)], source="文件")
    assert list(SeatTable.objects.filter(county=county).values_list("max_residents", "seats")) == before
    with pytest.raises(DomainError, match="常住人口"):
        services.set_profile(world.root, world.orgs["sibling"], residents="", today=TODAY)
    with pytest.raises(DomainError, match="不能多于常住人口"):
        services.set_profile(world.root, world.orgs["sibling"], residents=100, adults=101, today=TODAY)
    assert not VillageProfile.objects.filter(org=world.orgs["sibling"]).exists()


def test_who_may_change(world):
    c = _committee(world)
    for role in (Role.VILLAGE_SECRETARY, Role.STATION_CHIEF, Role.TOWNSHIP_STAFF, Role.COUNTY_ADMIN):
        user = world.user(role)
        org = "branch" if role == Role.VILLAGE_SECRETARY else "sibling"
        if org == "sibling":
            _appoint(world, c, PostKind.MEMBER, f"委员{role}", actor=user)
    own = Committee.objects.get(org=world.orgs["branch"], kind=CommitteeKind.BRANCH)
    _appoint(world, own, PostKind.MEMBER, "本村委员", actor=world.user(Role.VILLAGE_SECRETARY))
    # 村甲一's secretary does not reach 村甲二.
    with pytest.raises(NotInScope):
        _appoint(world, c, PostKind.MEMBER, "越权", actor=world.user(Role.VILLAGE_SECRETARY))
    with pytest.raises(ActionDenied):
        _appoint(world, c, PostKind.MEMBER, "只读", actor=world.user(Role.READONLY_LEADER))
    for role in (Role.GRID_LEADER, Role.DEPT_LIAISON):
        with pytest.raises(NotInScope):
            _appoint(world, c, PostKind.MEMBER, "旁人", actor=world.user(role))
    with pytest.raises(ActionDenied):
        services.set_seat_table(world.user(Role.TOWNSHIP_STAFF), world.orgs["county"], [(9, 1)], source="x")
    out = Committee.objects.get(org=world.orgs["out_branch"])
    with pytest.raises(NotInScope):
        _appoint(world, out, PostKind.MEMBER, "外人", actor=world.user(Role.COUNTY_ADMIN))
    with pytest.raises(NotInScope):
        services.set_seat_table(world.user(Role.COUNTY_ADMIN), world.orgs["out_county"], [(9, 1)], source="x")


def test_scope_of_reads(world):
    admin = world.user(Role.COUNTY_ADMIN)
    names = {str(p) for p in Post.objects.restrict(admin)}
    assert any("甲书记郭凯" in n for n in names) and not any("外" in n for n in names)
    assert not Committee.objects.restrict(world.user(Role.DEPT_LIAISON)).exists()
    assert not Committee.objects.restrict(world.user(Role.GRID_LEADER)).exists()
    assert Committee.objects.restrict(world.user(Role.READONLY_LEADER)).count() == 1
    assert set(
        SeatTable.objects.restrict(world.user(Role.TOWNSHIP_STAFF)).values_list("county_id", flat=True)
    ) == {world.orgs["county"].pk}
