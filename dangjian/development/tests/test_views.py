"""The development pages: board, list, case page and its forms, new applicant, documents."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.development import services
from dangjian.development.models import CaseStatus, CaseStep, DevelopmentCase, StepDocument
from dangjian.members.testing import make_id_number

from .conftest import applicant
from .test_pipeline_flow import walk

D = datetime.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to a temporary folder (set before the test world writes its documents)."""
    settings.MEDIA_ROOT = tmp_path


def page(response) -> str:
    return response.content.decode()


def step_post(code, **fields):
    """A step form's POST: the code unprefixed, the fields with the form's prefix."""
    data = {"code": code}
    data.update({f"s-{code}-{k}": v for k, v in fields.items()})
    return data


def test_board_list_and_case_pages_for_the_secretary(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    case = world.cases["case"]
    board = client.get("/development/")
    assert board.status_code == 200
    text = page(board)
    assert "发展党员工作看板" in text and "甲申请人一" in text and "推荐和确定入党积极分子" in text
    assert "申请入党" in text and "预备党员考察和转正" in text  # the five stage columns
    assert "外申请人" not in text
    listing = client.get("/development/cases/", {"q": "jsqry"})
    assert listing.status_code == 200 and "甲申请人一" in page(listing)
    detail = client.get(f"/development/cases/{case.pk}/")
    text = page(detail)
    assert detail.status_code == 200
    assert "党组织派人谈话" in text and "甲谈话人" in text  # the step taken, with who did it
    assert "上级党委审批" in text and "材料归档" in text  # every step of the version, pending ones too
    assert "2026年5月修订细则" in text and "中国共产党发展党员工作细则" in text  # the version and its source
    assert "甲谈话记录.txt" in text
    assert "********" in text and "139****2222" in text  # ID number and phone masked
    assert make_id_number(D(1998, 4, 1), 201) not in text
    assert 'name="code" value="activist"' in text and "决定机构" in text  # the next step's own fields


def test_board_filters_by_org_subtree_and_status(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    assert "甲申请人一" in page(client.get("/development/", {"org": world.orgs["township"].pk}))
    assert "甲申请人一" not in page(client.get("/development/", {"org": world.orgs["sibling"].pk}))
    assert "甲申请人一" not in page(client.get("/development/", {"org": world.orgs["out_branch"].pk}))
    assert "甲申请人一" not in page(client.get("/development/", {"status": "full"}))
    services.stop_case(world.root, world.cases["case"], reason="本人撤回申请", on=D(2026, 10, 1))
    assert "甲申请人一" in page(client.get("/development/", {"status": "stopped"}))


def test_board_lists_overdue_and_quiet_branches(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    services.open_case(
        world.root,
        world.orgs["sibling"],
        applicant("甲逾期人", seq=31),
        applied_on=D(2025, 1, 10),
        responsible="甲村书记",
    )
    text = page(client.get("/development/"))
    overdue = text.split('data-testid="overdue"')[1].split('data-testid="due-soon"')[0]
    assert "甲逾期人" in overdue and "已逾期" in overdue  # the talk was due a month after applying
    quiet = text.split('data-testid="no-admission"')[1]
    assert "社区甲" in quiet and "尚无党员入党记录" in quiet  # a community with no member at all
    assert "村甲一" not in quiet  # 甲预备党员 joined in 2026


def _cases(world, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        org = world.orgs["branch"] if i % 2 else world.orgs["sibling"]
        services.open_case(
            world.root,
            org,
            applicant(f"甲批量{i}", birth=D(1990, 1, 1) + datetime.timedelta(days=i), seq=300 + i),
            applied_on=D(2026, 1, 1) + datetime.timedelta(days=9 * i),
            responsible="甲村书记",
        )


def test_board_reads_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    """Session, user and roles, the rules, the cases, the quiet branches, the org filter, the add button;
    the unread notifications in the top bar and the session's save: the same for 3 cases as for 30."""
    client = client_for(world.user(Role.COUNTY_ADMIN))
    counts = []
    for start, n in ((0, 3), (3, 27)):
        _cases(world, n, start)
        with django_assert_max_num_queries(12) as captured:
            r = client.get("/development/", {"status": "all"})
        assert r.status_code == 200 and page(r).count('data-testid="card"') == len(counts) * 27 + 4
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_case_list_export_has_milestones_and_deadline(world, client_for):
    import io

    from openpyxl import load_workbook

    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = client.get("/development/cases/", {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    header = rows[1]
    assert "确定为积极分子" in header and "预备期满" in header and "办理期限" in header
    body = [r for r in rows[2:] if r[0] == "甲申请人一"]
    assert body and "推荐和确定入党积极分子" in body[0]
    assert not any("外申请人" in str(c) for row in rows for c in row)


def test_case_list_filters_overdue_and_stage(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    assert "甲申请人一" in page(client.get("/development/cases/", {"stage": 1, "overdue": "false"}))
    assert "甲申请人一" not in page(client.get("/development/cases/", {"overdue": "true"}))
    assert "甲申请人一" not in page(client.get("/development/cases/", {"stage": 2}))


# --- taking steps through the page --------------------------------------------------------------------


def test_skipping_a_step_is_refused_with_the_message_and_keeps_the_values(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    case = world.cases["case"]
    before = CaseStep.objects.count()
    r = client.post(
        f"/development/cases/{case.pk}/step/",
        step_post("candidate", done_on="2026-10-01", responsible="甲填表人"),
    )
    assert r.status_code == 400
    text = page(r)
    assert "步骤不能跳过或提前" in text and "甲填表人" in text
    assert CaseStep.objects.count() == before


def test_a_step_with_its_data_is_recorded(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    case = world.cases["case"]
    bad = client.post(
        f"/development/cases/{case.pk}/step/",
        step_post("activist", done_on="2026-10-08", responsible="甲村书记"),
    )
    assert bad.status_code == 400 and "支部委员会" in page(bad) and "细则第八条" in page(bad)
    ok = client.post(
        f"/development/cases/{case.pk}/step/",
        step_post("activist", done_on="2026-10-08", responsible="甲村书记", decided_by="支部委员会"),
    )
    assert ok.status_code == 302
    step = CaseStep.objects.get(case=case, code="activist")
    assert step.data == {"decided_by": "支部委员会"}
    case.refresh_from_db()
    assert case.activist_on == D(2026, 10, 8) and case.next_step == "activist_filed"


def test_an_unknown_step_code_is_a_400(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    r = client.post(f"/development/cases/{world.cases['case'].pk}/step/", {"code": "nonsense"})
    assert r.status_code == 400 and "未知的发展党员步骤" in page(r)


def test_approval_by_the_secretary_is_403_and_by_the_office_is_recorded(dev, client_for):
    case = walk(dev, until="approval")
    data = step_post("approval", done_on="2024-08-01", responsible="镇党委", result="approved")
    steps, events = CaseStep.objects.count(), AuditEvent.objects.count()
    r = client_for(dev.secretary).post(f"/development/cases/{case.pk}/step/", data)
    assert r.status_code == 403
    assert "由上级党委办理" in page(r) and "镇党委" in page(r)
    assert CaseStep.objects.count() == steps and AuditEvent.objects.count() == events
    r = client_for(dev.office).post(f"/development/cases/{case.pk}/step/", data)
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.PROBATION and case.member is not None


def test_a_read_only_leader_cannot_record(world, client_for):
    client = client_for(world.user(Role.READONLY_LEADER))
    case = world.cases["case"]
    assert client.get(f"/development/cases/{case.pk}/").status_code == 200
    r = client.post(
        f"/development/cases/{case.pk}/step/",
        step_post("activist", done_on="2026-10-08", responsible="甲", decided_by="支部委员会"),
    )
    assert r.status_code == 403 and not CaseStep.objects.filter(case=case, code="activist").exists()


def test_a_correction_supersedes_the_old_row_which_stays_visible(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    old = world.steps["case"]
    missing = client.post(
        f"/development/steps/{old.pk}/correct/",
        {f"c-{old.pk}-done_on": "2026-09-12", f"c-{old.pk}-responsible": "甲谈话人"},
    )
    assert missing.status_code == 400 and not CaseStep.objects.filter(superseded_by__isnull=False).exists()
    r = client.post(
        f"/development/steps/{old.pk}/correct/",
        {
            f"c-{old.pk}-done_on": "2026-09-12",
            f"c-{old.pk}-responsible": "甲谈话人",
            f"c-{old.pk}-reason": "谈话日期录入有误",
        },
    )
    assert r.status_code == 302
    old.refresh_from_db()
    assert old.superseded_by is not None and old.superseded_by.done_on == D(2026, 9, 12)
    text = page(client.get(f"/development/cases/{old.case_id}/"))
    assert 'data-superseded="1"' in text and "text-decoration-line-through" in text
    assert "谈话日期录入有误" in text and "2026-09-10" in text and "2026-09-12" in text
    again = client.post(
        f"/development/steps/{old.pk}/correct/",
        {
            f"c-{old.pk}-done_on": "2026-09-13",
            f"c-{old.pk}-responsible": "甲",
            f"c-{old.pk}-reason": "再改",
        },
    )
    assert again.status_code == 400 and "已被更正" in page(again)


def test_stop_a_case(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    case = world.cases["case"]
    r = client.post(f"/development/cases/{case.pk}/stop/", {"on": "2026-11-01"})
    assert r.status_code == 400
    r = client.post(f"/development/cases/{case.pk}/stop/", {"reason": "本人撤回申请", "on": "2026-11-01"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.STOPPED and case.next_step == ""
    text = page(client.get(f"/development/cases/{case.pk}/"))
    assert "已终止" in text and "本人撤回申请" in text and 'name="code"' not in text


def test_document_upload_and_scoped_download(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    step = world.steps["case"]
    upload = SimpleUploadedFile("谈话记录补充.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    r = client.post(f"/development/steps/{step.pk}/documents/", {"file": upload})
    assert r.status_code == 302
    doc = StepDocument.objects.get(step=step, name="谈话记录补充.pdf")
    got = client.get(f"/development/documents/{doc.pk}/")
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in got["Content-Disposition"]
    outsider = client_for(world.user("out_admin"))
    assert outsider.get(f"/development/documents/{doc.pk}/").status_code == 404
    assert outsider.post(f"/development/steps/{step.pk}/documents/", {"file": upload}).status_code == 404
    empty = client_for(world.user(Role.VILLAGE_SECRETARY)).post(f"/development/steps/{step.pk}/documents/")
    assert empty.status_code == 400


# --- a new applicant ----------------------------------------------------------------------------------


def _applicant_post(world, **extra):
    data = {
        "org": world.orgs["branch"].pk,
        "name": "甲新申请人",
        "id_number": make_id_number(D(2001, 2, 3), 61),
        "phone": "13900003333",
        "education": "college",
        "applied_on": "2026-11-02",
        "responsible": "甲村书记",
    }
    data.update(extra)
    return data


def test_new_applicant(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    form = client.get("/development/new/")
    assert form.status_code == 200 and "村甲一" in page(form) and "外村" not in page(form)
    r = client.post("/development/new/", _applicant_post(world))
    assert r.status_code == 302
    case = DevelopmentCase.objects.get(person__name="甲新申请人")
    assert r["Location"] == f"/development/cases/{case.pk}/"
    assert case.next_step == "talk" and case.rule_version == "2026.05"


def test_new_applicant_refusals_write_nothing(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    cases, events = DevelopmentCase.objects.count(), AuditEvent.objects.count()
    out = client.post("/development/new/", _applicant_post(world, org=world.orgs["out_branch"].pk))
    assert out.status_code == 400
    sibling = client.post("/development/new/", _applicant_post(world, org=world.orgs["sibling"].pk))
    assert sibling.status_code == 400  # another village's branch, in the same county
    young = client.post(
        "/development/new/", _applicant_post(world, id_number=make_id_number(D(2010, 1, 1), 62))
    )
    assert young.status_code == 400 and "未满18周岁" in page(young) and "甲新申请人" in page(young)
    assert DevelopmentCase.objects.count() == cases and AuditEvent.objects.count() == events


def test_new_applicant_needs_a_role_that_may_add(world, client_for):
    assert client_for(world.user(Role.READONLY_LEADER)).get("/development/new/").status_code == 403
    assert client_for(world.user(Role.GRID_LEADER)).get("/development/new/").status_code == 403


def test_pages_outside_scope_are_404(world, client_for):
    client = client_for(world.user("out_admin"))
    case, step = world.cases["case"], world.steps["case"]
    assert client.get(f"/development/cases/{case.pk}/").status_code == 404
    events = AuditEvent.objects.count()
    assert client.post(f"/development/cases/{case.pk}/stop/", {"reason": "越权"}).status_code == 404
    assert (
        client.post(
            f"/development/steps/{step.pk}/correct/",
            {
                f"c-{step.pk}-done_on": "2026-09-11",
                f"c-{step.pk}-responsible": "外",
                f"c-{step.pk}-reason": "越权",
            },
        ).status_code
        == 404
    )
    assert AuditEvent.objects.count() == events
    assert "甲申请人一" not in page(client.get("/development/"))


def test_walked_case_page_shows_every_recorded_step(dev, client_for):
    case = walk(dev)
    r = client_for(dev.office).get(f"/development/cases/{case.pk}/")
    text = page(r)
    assert r.status_code == 200 and "已转正" in text
    assert "应到8人，实到6人" in text and "按期转正" in text and "批准" in text


def test_a_page_renamed_to_pdf_is_refused_and_downloads_cannot_run_script(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    step = world.steps["case"]
    fake = SimpleUploadedFile("材料.pdf", b"<html><script>alert(1)</script>", content_type="application/pdf")
    r = client.post(f"/development/steps/{step.pk}/documents/", {"file": fake})
    assert r.status_code == 400 and "内容与扩展名" in r.content.decode()
    page_file = SimpleUploadedFile("材料.html", b"<script>alert(1)</script>", content_type="text/html")
    r = client.post(f"/development/steps/{step.pk}/documents/", {"file": page_file})
    assert r.status_code == 400 and "只能上传" in r.content.decode()
    assert not StepDocument.objects.filter(step=step, name__startswith="材料.").exists()
    good = SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\n....", content_type="image/png")
    client.post(f"/development/steps/{step.pk}/documents/", {"file": good})
    got = client.get(f"/development/documents/{StepDocument.objects.get(step=step, name='照片.png').pk}/")
    assert got["Content-Disposition"].startswith("attachment")
    assert got["X-Content-Type-Options"] == "nosniff"
    assert got["Content-Security-Policy"].startswith("sandbox;")
