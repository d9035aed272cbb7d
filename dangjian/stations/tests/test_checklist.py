"""The six conditions (六个到位) and the 8 systems (8项制度) of seed 002."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.errors import DomainError
from dangjian.stations import services
from dangjian.stations.choices import ChecklistItem, System
from dangjian.stations.models import StationChecklist, StationSystem

from .conftest import D, audit_count, html

TODAY = D(2026, 11, 22)
PDF = b"%PDF-1.4 evidence"
PNG = b"\x89PNG\r\n\x1a\n...."


def test_the_report_items_are_the_choices():
    assert ChecklistItem.labels == ["场所到位", "设施到位", "人员到位", "布置到位", "制度到位", "经费到位"]
    assert System.labels == [
        "调查研究制度",
        "督查协调制度",
        "列席会议制度",
        "工作会商制度",
        "处理问题清单制度",
        "工作定期报告制度",
        "群众事项代办制度",
        "信息报送制度",
    ]


def test_a_check_replaces_the_last_one_and_keeps_the_trail(world):
    station = world.orgs["station"]
    row = services.check_item(
        world.root,
        station,
        item=ChecklistItem.FUNDS,
        met=False,
        note="经费未列支",
        checked_on=TODAY,
        today=TODAY,
    )
    again = services.check_item(
        world.root,
        station,
        item=ChecklistItem.FUNDS,
        met=True,
        checked_on=TODAY,
        evidence=SimpleUploadedFile("预算.png", PNG),
        today=TODAY,
    )
    assert again.pk == row.pk and again.met and again.evidence_name == "预算.png"
    assert StationChecklist.objects.filter(org=station, item=ChecklistItem.FUNDS).count() == 1


def test_unmet_needs_a_reason_and_evidence_must_be_a_document_or_photo(world):
    station = world.orgs["station"]
    before = (StationChecklist.objects.count(), audit_count())
    with pytest.raises(DomainError, match="请填写情况说明"):
        services.check_item(
            world.root, station, item=ChecklistItem.SITE, met=False, checked_on=TODAY, today=TODAY
        )
    with pytest.raises(DomainError, match="佐证材料只能是PDF、DOCX、JPG、PNG文件"):
        services.check_item(
            world.root,
            station,
            item=ChecklistItem.LAYOUT,
            met=True,
            checked_on=TODAY,
            evidence=SimpleUploadedFile("a.exe", b"MZ"),
            today=TODAY,
        )
    with pytest.raises(DomainError, match="不是有效的PDF文件"):
        services.check_item(
            world.root,
            station,
            item=ChecklistItem.LAYOUT,
            met=True,
            checked_on=TODAY,
            evidence=SimpleUploadedFile("a.pdf", PNG),
            today=TODAY,
        )
    assert (StationChecklist.objects.count(), audit_count()) == before


def test_a_system_in_force_needs_its_date(world):
    with pytest.raises(DomainError, match="请填写建立日期"):
        services.set_system(
            world.root,
            world.orgs["station"],
            system=System.ERRAND,
            posted=True,
            in_force=True,
            checked_on=TODAY,
            today=TODAY,
        )
    row = services.set_system(
        world.root,
        world.orgs["station"],
        system=System.ERRAND,
        posted=False,
        in_force=True,
        adopted_on=D(2026, 3, 1),
        checked_on=TODAY,
        today=TODAY,
    )
    assert row.in_force and not row.posted


def test_the_station_page_counts_and_marks_gaps(world, users, client_for):
    station = world.orgs["station"]
    services.check_item(
        world.root,
        station,
        item=ChecklistItem.FUNDS,
        met=False,
        note="经费未列支",
        checked_on=TODAY,
        today=TODAY,
    )
    page = html(client_for(users.chief).get(f"/stations/{station.pk}/"))
    assert "“六个到位”（1/6）" in page and "经费未列支" in page and "未到位" in page and "未核查" in page
    assert "8项制度（已建立并执行 1/8）" in page
    assert "每个站拥有相对独立的空间并悬挂醒目标识牌" in page
    assert "甲站场所照片.pdf" in page
    assert f"/stations/{station.pk}/checklist/" not in page  # the chief reads, the township checks


def test_forms_through_the_pages(world, users, client_for):
    station = world.orgs["station"]
    client = client_for(users.office)
    assert client.get(f"/stations/{station.pk}/checklist/?item=funds").status_code == 200
    r = client.post(
        f"/stations/{station.pk}/checklist/",
        {
            "item": "funds",
            "note": "",
            "checked_on": "2026-11-20",
            "evidence": SimpleUploadedFile("x.txt", b"hi"),
        },
    )
    assert r.status_code == 400 and "请填写情况说明" in html(r) and "佐证材料只能是" in html(r)
    r = client.post(
        f"/stations/{station.pk}/checklist/",
        {
            "item": "funds",
            "met": "on",
            "checked_on": "2026-11-20",
            "evidence": SimpleUploadedFile("预算.pdf", PDF),
        },
    )
    assert r.status_code == 302
    row = StationChecklist.objects.get(org=station, item="funds")
    download = client.get(f"/stations/checklist/{row.pk}/evidence/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    r = client.post(
        f"/stations/{station.pk}/systems/",
        {
            "system": "errand",
            "in_force": "on",
            "posted": "on",
            "adopted_on": "2026-03-01",
            "checked_on": "2026-11-20",
        },
    )
    assert r.status_code == 302 and StationSystem.objects.get(org=station, system="errand").posted
