"""Mixed workload for `make load`: county admins, township office staff and village secretaries log in
through the login page, browse the workbench, lists and dashboards, read the API, and write through it
(民情日记 and 问题台账 cases), so the run can check afterwards that the database holds exactly the rows
the load made.

Accounts come from LOAD_ACCOUNTS (JSON: {"county": [...], "office": [...], "secretary": [...]}) and
LOAD_PASSWORD; the defaults are the demo logins (password demo12345). Every successful write is counted
and, when the run ends, the counts and the request totals are written to LOAD_RESULT (JSON).
"""

from __future__ import annotations

import datetime
import itertools
import json
import os
import re
from collections import Counter

from locust import FastHttpUser, between, events, task

DEMO_ACCOUNTS = {
    "county": ["county_wuzhai", "county_pianguan", "county_yijun"],
    "office": ["office_laoniuwan", *[f"laoniuwan_staff{i}" for i in range(2, 9)], "office_anding"],
    "secretary": ["secretary_laoniuwan"],
}
ACCOUNTS = json.loads(os.environ["LOAD_ACCOUNTS"]) if os.environ.get("LOAD_ACCOUNTS") else DEMO_ACCOUNTS
PASSWORD = os.environ.get("LOAD_PASSWORD", "demo12345")
RESULT = os.environ.get("LOAD_RESULT", "")
WRITES: Counter[str] = Counter()
_cycle = {kind: itertools.cycle(names) for kind, names in ACCOUNTS.items()}
_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Person(FastHttpUser):
    """One logged-in person; subclasses say which accounts and what they do."""

    abstract = True
    kind = ""
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        username = next(_cycle[self.kind])
        page = self.client.get("/accounts/login/", name="/accounts/login/")
        token = _CSRF.search(page.text).group(1)
        with self.client.post(
            "/accounts/login/",
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": f"{self.host}/accounts/login/"},
            allow_redirects=False,
            name="login",
            catch_response=True,
        ) as r:
            if r.status_code != 302:
                r.failure(f"{username} 登录失败：{r.status_code}")
                raise RuntimeError(f"login failed for {username}")
        # Django rotates the CSRF token at login: API writes send the new one, as the pages' htmx does.
        csrf = next((c.value for c in self.client.cookiejar if c.name == "csrftoken"), "")
        self.headers = {"X-CSRFToken": csrf, "Referer": f"{self.host}/"}
        me = self.client.get("/api/v1/me/", name="/api/v1/me/").json()
        self.user_id = me["id"]
        self.org_id = me["roles"][0]["org"]

    def api_list(self, path: str) -> None:
        self.client.get(f"{path}?page_size=20", name=path)

    def page(self, path: str) -> None:
        self.client.get(path, name=path)

    def write(self, what: str, path: str, body: dict) -> None:
        with self.client.post(path, json=body, headers=self.headers, name=path, catch_response=True) as r:
            if r.status_code == 201:
                WRITES[what] += 1
            else:
                r.failure(f"{path} 返回 {r.status_code}：{r.text[:200]}")

    def open_case(self, org: int) -> None:
        today = datetime.date.today()
        self.write(
            "cases",
            "/api/v1/cases/",
            {
                "kind": "problem",
                "org": org,
                "title": "压力测试：村口路灯不亮",
                "description": "负载测试写入的问题台账",
                "owner": self.user_id,
                "deadline": (today + datetime.timedelta(days=20)).isoformat(),
            },
        )

    def write_diary(self, org: int) -> None:
        self.write(
            "diaries",
            "/api/v1/diaries/",
            {
                "org": org,
                "written_on": datetime.date.today().isoformat(),
                "visited": "张大爷",
                "content": "负载测试：走访了解冬季用水情况",
            },
        )


class CountyAdmin(Person):
    kind = "county"
    weight = 2

    @task(3)
    def workbench(self) -> None:
        self.page("/")

    @task(2)
    def dashboard(self) -> None:
        self.page("/dashboards/")

    @task(2)
    def members(self) -> None:
        self.page("/members/")

    @task(2)
    def meetings(self) -> None:
        self.page("/meetings/")

    @task(4)
    def api_lists(self) -> None:
        for path in ("/api/v1/orgs/", "/api/v1/members/", "/api/v1/cases/", "/api/v1/tasks/"):
            self.api_list(path)


class OfficeStaff(Person):
    kind = "office"
    weight = 5

    def on_start(self) -> None:
        super().on_start()
        branches = self.client.get("/api/v1/orgs/?kind=branch&page_size=5", name="/api/v1/orgs/").json()
        self.village = branches["results"][0]["id"] if branches["results"] else self.org_id

    @task(3)
    def workbench(self) -> None:
        self.page("/")

    @task(2)
    def cases(self) -> None:
        self.page("/cases/")

    @task(1)
    def dashboard(self) -> None:
        self.page("/dashboards/")

    @task(1)
    def errands(self) -> None:
        self.page("/errands/")

    @task(4)
    def api_lists(self) -> None:
        for path in ("/api/v1/members/", "/api/v1/cases/", "/api/v1/meetings/", "/api/v1/diaries/"):
            self.api_list(path)

    @task(2)
    def case(self) -> None:
        self.open_case(self.village)

    @task(1)
    def diary(self) -> None:
        self.write_diary(self.village)


class VillageSecretary(Person):
    kind = "secretary"
    weight = 3

    @task(3)
    def workbench(self) -> None:
        self.page("/")

    @task(2)
    def meetings(self) -> None:
        self.page("/meetings/")

    @task(1)
    def task_list(self) -> None:
        self.page("/tasks/")

    @task(3)
    def api_lists(self) -> None:
        for path in ("/api/v1/members/", "/api/v1/meetings/", "/api/v1/notifications/"):
            self.api_list(path)

    @task(2)
    def diary(self) -> None:
        self.write_diary(self.org_id)

    @task(1)
    def case(self) -> None:
        self.open_case(self.org_id)


@events.quitting.add_listener
def _write_result(environment, **_kwargs) -> None:
    """The writes that succeeded and the request totals, for load/run.py to check against the database."""
    if not RESULT:
        return
    total = environment.stats.total
    result = {
        "writes": dict(WRITES),
        "requests": total.num_requests,
        "failures": total.num_failures,
        "rps": round(total.total_rps, 1),
        "median_ms": total.median_response_time,
        "p95_ms": total.get_response_time_percentile(0.95),
        "errors": [
            {"name": e.name, "method": e.method, "error": str(e.error), "count": e.occurrences}
            for e in environment.stats.errors.values()
        ],
        "endpoints": [
            {
                "name": s.name,
                "method": s.method,
                "requests": s.num_requests,
                "failures": s.num_failures,
                "median_ms": s.median_response_time,
                "p95_ms": s.get_response_time_percentile(0.95),
            }
            for s in sorted(environment.stats.entries.values(), key=lambda s: -s.num_requests)
        ],
    }
    with open(RESULT, "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=1)
