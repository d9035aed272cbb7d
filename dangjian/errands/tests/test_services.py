"""The service functions: Chinese messages tied to their fields, nothing half-saved, one audit row per
write with before → after, and who may do what."""

import pytest

from dangjian.core.errors import ActionDenied, DomainError, DomainErrors, NotInScope
from dangjian.core.models import AuditEvent
from dangjian.errands import services
from dangjian.errands.models import Diary, ErrandService, ServiceCentre, ServiceSession

from .conftest import D, audit_count

TODAY = D(2026, 11, 20)


def messages(exc) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for e in getattr(exc, "errors", None) or [exc]:
        found.setdefault(e.field, []).append(e.message)
    return found


def service_data(**kw):
    return {
        "category": "服务",
        "name": "残疾人证办理代办",
        "promised_days": 15,
        "documents": "身份证\n\n 户口簿 ",
    } | kw


# --- the catalogue ---------------------------------------------------------------------------------


def test_create_service_cleans_documents_and_records_audit(world, users, township):
    before = audit_count()
    s = services.create_service(users.office, township, **service_data())
    assert s.document_list == ["身份证", "户口簿"] and s.documents == "身份证\n户口簿"
    assert s.published and s.archived_at is None
    event = AuditEvent.objects.latest("pk")
    assert audit_count() == before + 1
    assert event.action == "errands.service_create" and event.org_id == township.pk
    assert event.after["name"] == "残疾人证办理代办" and event.actor_id == users.office.pk


def test_service_refusals_name_every_field(world, users, township, rows):
    before = (ErrandService.objects.count(), audit_count())
    with pytest.raises(DomainErrors) as exc:
        services.create_service(
            users.office,
            township,
            category=" ",
            name=rows["in_service"].name,
            promised_days=181,
            handled_by="科" * 61,
            sort_order="第一",
        )
    found = messages(exc.value)
    assert found["category"] == ["请填写类别。"]
    assert found["name"] == ["“镇甲”的目录中已有事项“甲镇低保申请代办”。"]
    assert found["promised_days"] == ["承诺办结时限（工作日）应在0到180之间。"]
    assert found["handled_by"] == ["承办科室（部门）不能超过60个字。"]
    assert found["sort_order"] == ["排序应为整数。"]
    assert (ErrandService.objects.count(), audit_count()) == before


def test_same_name_in_another_township_is_fine(world, users, township):
    services.create_service(users.admin, township, **service_data(name="外镇低保申请代办"))


def test_service_only_on_a_township(world, users):
    with pytest.raises(DomainError, match="“站甲”不是乡镇（街道）。"):
        services.create_service(users.admin, world.orgs["station"], **service_data())


@pytest.mark.parametrize("who", ["chief", "secretary", "leader", "grid"])
def test_only_the_office_and_county_keep_the_catalogue(world, users, township, who):
    user = getattr(users, who)
    with pytest.raises((ActionDenied, NotInScope)):
        services.create_service(user, township, **service_data())


def test_out_of_scope_is_not_in_scope(world, users):
    with pytest.raises(NotInScope):
        services.create_service(users.office, world.orgs["out_township"], **service_data())


def test_update_records_before_and_after(world, users, rows):
    s = rows["in_service"]
    services.update_service(
        users.office,
        s,
        category=s.category,
        name=s.name,
        promised_days=15,
        documents=s.documents,
        handled_by=s.handled_by,
        published=False,
        sort_order=s.sort_order,
    )
    event = AuditEvent.objects.latest("pk")
    assert event.action == "errands.service_update"
    assert event.before == {"promised_days": 20, "published": True}
    assert event.after == {"promised_days": 15, "published": False}


def test_archive_and_restore(world, users, rows):
    s = rows["in_service"]
    services.set_service_archived(users.office, s, True)
    assert s.archived_at is not None
    with pytest.raises(DomainError, match="已停用"):
        services.set_service_archived(users.office, s, True)
    with pytest.raises(DomainError, match="请先恢复再修改"):
        services.update_service(users.office, s, category="服务", name=s.name, promised_days=1)
    services.set_service_archived(users.office, s, False)
    assert ErrandService.objects.get(pk=s.pk).archived_at is None
    actions = list(AuditEvent.objects.order_by("-pk").values_list("action", flat=True)[:2])
    assert actions == ["errands.service_restore", "errands.service_archive"]


# --- centres and sessions --------------------------------------------------------------------------


def test_centre_phone_and_name(world, users, township, rows):
    with pytest.raises(DomainErrors) as exc:
        services.create_centre(users.office, township, name=rows["in_centre"].name, phone="12345")
    found = messages(exc.value)
    assert found["name"] == ["“镇甲”已有便民服务中心“甲镇第一便民服务中心”。"]
    assert found["phone"][0].startswith("联系电话格式不正确")
    centre = services.create_centre(users.office, township, name="第二便民服务中心", phone="010 6920 1234")
    assert centre.phone == "01069201234"
    assert AuditEvent.objects.latest("pk").action == "errands.centre_create"


def test_sections_are_parsed_and_deduplicated():
    assert services.parse_sections("司法所、规划科，民政科;司法所\n 综治办 ") == [
        "司法所",
        "规划科",
        "民政科",
        "综治办",
    ]
    assert services.parse_sections(["司法所", " ", "司法所"]) == ["司法所"]
    assert services.parse_sections(None) == []


def test_schedule_a_session(world, users, rows):
    centre = rows["in_centre"]
    s = services.schedule_session(
        users.office, centre, date=D(2026, 11, 24), half="pm", sections="司法所、民政科", today=TODAY
    )
    assert s.org_id == centre.org_id and s.sections == ["司法所", "民政科"] and s.served is None
    assert AuditEvent.objects.latest("pk").action == "errands.session_create"


def test_session_refusals(world, users, rows):
    centre = rows["in_centre"]
    before = (ServiceSession.objects.count(), audit_count())
    with pytest.raises(DomainErrors) as exc:
        services.schedule_session(
            users.office, centre, date=D(2026, 11, 3), half="am", sections="", served=-1, today=TODAY
        )
    found = messages(exc.value)
    assert found["sections"] == ["请填写下村科室（部门），如：司法所、规划科、民政科。"]
    assert found["date"] == ["“甲镇第一便民服务中心”2026-11-03上午已安排便民服务。"]
    assert found["served"] == ["服务群众人次应在0到100000之间。"]
    with pytest.raises(DomainErrors) as exc:
        services.schedule_session(
            users.office, centre, date=D(2026, 12, 1), half="noon", sections=["司法所"], served=5, today=TODAY
        )
    found = messages(exc.value)
    assert found["half"] == ["请选择上午或下午。"]
    assert found["served"] == ["尚未到来的半天不能登记服务群众人次。"]
    with pytest.raises(DomainError, match="日期应在今天前后一年之内。"):
        services.schedule_session(
            users.office, centre, date=D(2028, 1, 1), half="am", sections="司法所", today=TODAY
        )
    with pytest.raises(DomainError, match="科室（部门）名称不能超过20个字"):
        services.schedule_session(
            users.office, centre, date=D(2026, 11, 25), half="am", sections="部" * 21, today=TODAY
        )
    assert (ServiceSession.objects.count(), audit_count()) == before


def test_no_session_at_a_closed_centre(world, users, rows):
    centre = services.set_centre_archived(users.office, rows["in_centre"], True)
    with pytest.raises(DomainError, match="已停用，不能安排便民服务"):
        services.schedule_session(
            users.office, centre, date=D(2026, 11, 25), half="am", sections="司法所", today=TODAY
        )


def test_station_chief_cannot_schedule(world, users, rows):
    with pytest.raises((ActionDenied, NotInScope)):
        services.schedule_session(
            users.chief, rows["in_centre"], date=D(2026, 11, 25), half="am", sections="司法所", today=TODAY
        )


def test_update_session_records_served_and_stays_in_its_township(world, users, rows):
    s = rows["in_session2"]
    other = services.create_centre(users.office, s.org, name="第二便民服务中心")
    services.update_session(
        users.office,
        s,
        centre=other,
        date=s.date,
        half=s.half,
        sections=s.sections,
        note=s.note,
        served=30,
        today=TODAY,
    )
    s.refresh_from_db()
    assert s.centre_id == other.pk and s.served == 30
    event = AuditEvent.objects.latest("pk")
    assert event.before == {"centre_id": rows["in_centre"].pk, "served": None}
    with pytest.raises(DomainError, match="只能改到本乡镇的便民服务中心"):
        services.update_session(
            world.root,
            s,
            centre=rows["out_centre"],
            date=s.date,
            half=s.half,
            sections=s.sections,
            today=TODAY,
        )


# --- diaries ---------------------------------------------------------------------------------------


def test_write_a_diary(world, users):
    d = services.write_diary(
        users.secretary, world.orgs["branch"], written_on=D(2026, 11, 19), content=" 路灯不亮 ", today=TODAY
    )
    assert d.author_id == users.secretary.pk and d.content == "路灯不亮"
    assert AuditEvent.objects.latest("pk").action == "errands.diary_create"


def test_diary_refusals(world, users):
    before = (Diary.objects.count(), audit_count())
    with pytest.raises(DomainErrors) as exc:
        services.write_diary(
            users.office, world.orgs["station"], written_on=D(2026, 11, 21), content="", today=TODAY
        )
    found = messages(exc.value)
    assert found["org"] == ["“站甲”不是村（社区）党组织，民情日记须记在走访的村（社区）下。"]
    assert found["written_on"] == ["日期不能晚于今天。"]
    assert found["content"] == ["请填写民情记录。"]
    with pytest.raises(NotInScope):
        services.write_diary(
            users.office, world.orgs["out_branch"], written_on=TODAY, content="越权", today=TODAY
        )
    with pytest.raises(ActionDenied):
        services.write_diary(
            users.leader, world.orgs["branch"], written_on=TODAY, content="只读", today=TODAY
        )
    assert (Diary.objects.count(), audit_count()) == before


def test_only_the_author_edits_a_diary(world, users, rows):
    d = rows["in_diary"]
    with pytest.raises(ActionDenied, match="只有记录人本人可以修改民情日记。"):
        services.update_diary(users.admin, d, org=d.org, written_on=d.written_on, content="改写", today=TODAY)
    services.update_diary(
        users.office,
        d,
        org=world.orgs["sibling"],
        written_on=d.written_on,
        visited=d.visited,
        content="改写",
        today=TODAY,
    )
    d.refresh_from_db()
    assert d.org_id == world.orgs["sibling"].pk and d.content == "改写"
    event = AuditEvent.objects.latest("pk")
    assert event.action == "errands.diary_update" and set(event.after) == {"org_id", "content"}


def test_centre_edit_and_archive_are_audited(world, users, rows):
    c = rows["in_centre"]
    services.update_centre(users.office, c, name="甲镇中心便民服务站", place=c.place, phone=c.phone)
    assert ServiceCentre.objects.get(pk=c.pk).name == "甲镇中心便民服务站"
    services.set_centre_archived(users.office, c, True)
    assert list(AuditEvent.objects.order_by("-pk").values_list("action", flat=True)[:2]) == [
        "errands.centre_archive",
        "errands.centre_update",
    ]
