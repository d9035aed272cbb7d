"""Contact cards (连心卡): a PDF that carries the station's serving staff with their phones, the
township's catalogue and its coming half-days; A6 cards or A4 sheets of four; a township without
stations gets its office's card; printing is recorded; outside scope is a 404."""

import re

import pytest
from django.utils import timezone

from dangjian.core.models import AuditEvent
from dangjian.errands import cards as C
from dangjian.errands import services
from dangjian.orgs.services import create_org
from dangjian.stations import services as station_services

from .conftest import D

LITERAL = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj")
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        ch = raw[i : i + 1]
        if ch != b"\\":
            out += ch
            i += 1
            continue
        nxt = raw[i + 1 : i + 2]
        if nxt.isdigit():
            digits = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4]).group()
            out.append(int(digits, 8))
            i += 1 + len(digits)
        else:
            out += ESCAPES.get(nxt, nxt)
            i += 2
    return bytes(out)


def pdf_text(data: bytes) -> str:
    """The text shown on the pages (STSong-Light strings are UTF-16BE in PDF literals)."""
    return "".join(unescape(m).decode("utf-16-be", "replace") for m in LITERAL.findall(data))


def pages(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b", data))


def test_a_station_card(world, users, client_for, rows):
    today = timezone.localdate()
    services.schedule_session(world.root, rows["in_centre"], date=today, half="pm", sections="司法所、综治办")
    r = client_for(users.chief).get(f"/errands/cards/{world.orgs['station'].pk}/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert "inline; filename*=UTF-8''" in r["Content-Disposition"]
    data = r.content
    assert data.startswith(b"%PDF") and pages(data) == 2  # one A6 card: front and back
    text = pdf_text(data)
    assert "站甲" in text and "镇甲" in text and "便民连心卡" in text
    assert "甲站长" in text and "13912345678" in text  # the chief and the phone in full
    assert "甲镇低保申请代办（20个工作日）" in text and "甲镇法律咨询（当场办结）" in text
    assert "甲镇未公开事项" not in text and "甲镇已停用事项" not in text
    assert "甲镇第一便民服务中心" in text and "司法所、综治办" in text
    assert f"/errands/public/{world.orgs['township'].pk}/" in text
    assert "外" not in text
    event = AuditEvent.objects.latest("pk")
    assert event.action == "errands.cards_print" and event.actor_id == users.chief.pk and "站甲" in event.note


def test_staff_who_left_are_not_on_the_card(world, users, client_for):
    deputy = world.station_rows["in_deputy"]
    station_services.end_staff(world.root, deputy, until=D(2026, 11, 10), today=D(2026, 11, 20))
    text = pdf_text(client_for(users.office).get(f"/errands/cards/{world.orgs['station'].pk}/").content)
    assert "甲站长" in text and "甲副站长" not in text


def test_a4_sheet_of_four(world, users, client_for):
    data = client_for(users.office).get(f"/errands/cards/{world.orgs['station'].pk}/?paper=a4").content
    assert data.startswith(b"%PDF") and pages(data) == 2
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data
    assert pdf_text(data).count("便民连心卡") == 4


def test_a_township_prints_every_station_and_a_village_its_station(world, users, client_for):
    create_org(world.root, parent=world.orgs["township"], name="站甲二", kind="station", code="S1B")
    data = client_for(users.office).get(f"/errands/cards/{world.orgs['township'].pk}/").content
    text = pdf_text(data)
    assert pages(data) == 4 and "站甲" in text and "站甲二" in text
    village = pdf_text(client_for(users.secretary).get(f"/errands/cards/{world.orgs['branch'].pk}/").content)
    assert "站甲" in village and "站甲二" not in village


def test_a_township_without_stations_gets_its_office_card(world, users, client_for):
    users.out_admin.phone = "13800002101"
    users.out_admin.save()
    from dangjian.accounts.models import RoleAssignment

    RoleAssignment.objects.create(
        user=users.out_admin, org=world.orgs["out_township"], role="township_staff", title="党建办主任"
    )
    world.orgs["out_station"].archived_at = timezone.now()
    world.orgs["out_station"].save()
    text = pdf_text(
        client_for(users.out_admin).get(f"/errands/cards/{world.orgs['out_township'].pk}/").content
    )
    assert "外镇党建办" in text and "党建办主任" in text and "外县管理员" in text and "13800002101" in text


def test_outside_scope_is_404_and_county_goes_to_the_list(world, users, client_for):
    client = client_for(users.office)
    assert client.get(f"/errands/cards/{world.orgs['out_station'].pk}/").status_code == 404
    r = client_for(users.admin).get(f"/errands/cards/{world.orgs['county'].pk}/")
    assert r.status_code == 302 and r["Location"] == f"/errands/cards/?org={world.orgs['county'].pk}"
    assert client_for(users.liaison).get(f"/errands/cards/{world.orgs['county'].pk}/").status_code == 403
    assert client.post(f"/errands/cards/{world.orgs['station'].pk}/").status_code == 405


def test_card_list(world, users, client_for):
    page = client_for(users.admin).get("/errands/cards/").content.decode()
    assert "站甲" in page and "外站" not in page and "?paper=a4" in page
    assert "镇甲" in page  # as the station's township; it has a station so no card of its own
    own = client_for(users.secretary).get("/errands/cards/").content.decode()
    assert f"/errands/cards/{world.orgs['branch'].pk}/" in own


@pytest.mark.parametrize("paper", ["a6", "a4"])
def test_a_long_catalogue_still_fits(world, paper):
    township = world.orgs["township"]
    for i in range(60):
        services.create_service(
            world.root, township, category=f"类别{i % 5}", name=f"很长的代办事项名称第{i}项", promised_days=i
        )
    card = C.cards_for(world.orgs["station"], D(2026, 11, 20), public_url=lambda t: "http://example.org/p/")
    data = C.render(card, paper)
    assert data.startswith(b"%PDF") and "很长的代办事项名称第59项" in pdf_text(data)
