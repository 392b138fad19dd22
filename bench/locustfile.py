"""The simulated users of bench/load_bench.py.

Not run on its own: load_bench.py prepares the database, starts gunicorn and
runs `locust -f bench/locustfile.py` with BENCH_LOAD_PLAN naming a JSON file
(the accounts, centres, classes; see load_bench.prepare) and BENCH_LOAD_SAMPLES
a file that receives every request (end time, name, milliseconds, failed).

A working day of a province, in users: mostly centre staff (the class list,
its pages and search, a class's roster, entering a class's results), some
directors (the dashboard and the centre's year report), a few committee
members (the rollups on screen and as Excel). Each simulated user logs in once
and then works with a think time of 1 to 5 s between actions. One of them is
the work behind the load: a director who, once the logins are
over, imports a list of 5.000 people from Excel and has 200 certificates
printed by a background worker.

Every request goes "through the proxy": Host 127.0.0.1 and X-Forwarded-Proto
https, on a connection of its own, as nginx sends them; the __Host- cookies
are Secure, and are sent back over the plain HTTP of 127.0.0.1 all the same
(the cookie policy, patched). A request fails on any status but the expected
one, or when its page lacks its Vietnamese marker.
"""

import itertools
import json
import os
import random
import re
import time
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

from locust import HttpUser, between, constant, events, task

PLAN = json.loads(Path(os.environ["BENCH_LOAD_PLAN"]).read_text(encoding="utf-8"))
YEAR = PLAN["year"]
# The rollups the committee opens (BENCH_ROLLUPS: some of them, to compare).
ROLLUPS = os.environ.get("BENCH_ROLLUPS", "units,centers,certified,pipeline").split(",")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Search words a clerk types in the class list (programme names, venues).
SEARCHES = ["đảng", "chi bộ", "quốc phòng", "nghị quyết", "mặt trận", "hội trường"]

_samples = open(os.environ["BENCH_LOAD_SAMPLES"], "a", encoding="utf-8")


@events.request.add_listener
def _record(name, response_time, exception, **kwargs):
    failed = int(exception is not None)
    _samples.write(f"{time.time():.3f}\t{name}\t{response_time:.1f}\t{failed}\n")


@events.quitting.add_listener
def _close(**kwargs):
    _samples.close()


def _secure_cookies_over_proxied_http(self, cookie, request):
    """Send Secure cookies back over HTTP: the proxy's HTTPS ends before us."""
    return True


# In the load generator only: requests copies the session's cookies into a
# fresh jar for each request, so a policy of our own would not stay on it.
DefaultCookiePolicy.return_ok_secure = _secure_cookies_over_proxied_http


class Visitor(HttpUser):
    """A logged-in user of the site; subclasses choose who and what they do."""

    abstract = True
    # Think time: a person reads a page before the next click. 1–5 s is short
    # for real work (minutes on a roster), so 50 of these users weigh like a
    # few hundred real ones: a pessimistic day.
    wait_time = between(1, 5)

    def on_start(self):
        # As nginx proxies (deploy/nginx): HTTP/1.0 to gunicorn, a connection
        # per request (a kept-alive one races gunicorn's 2 s keep-alive close).
        self.client.headers.update(
            {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Connection": "close"}
        )
        self.username = self.choose()
        self.page("/accounts/login/", "Đăng nhập", name="login form")
        self.post(
            "/accounts/login/",
            {"username": self.username, "password": PLAN["password"]},
            name="login (POST)",
        )
        self.page("/", "Đăng xuất", name="home (after login)")

    def choose(self) -> str:
        """Pick this user's account and work; return the username."""
        raise NotImplementedError

    def page(self, path, *markers, name, params=None):
        """GET an HTML page (redirects followed); its text, or None on failure."""
        with self.client.get(
            path, params=params, name=name, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(
                    f"status {response.status_code} {response.error or ''}"
                )
                return None
            text = response.text
            missing = [m for m in markers if m not in text]
            if missing:
                response.failure(f"missing {missing!r}")
                return None
            response.success()
            return text

    def post(self, path, data, *, name):
        """POST a form as the browser does (CSRF token, Referer); expect 302."""
        data = {"csrfmiddlewaretoken": self.client.cookies["__Host-csrftoken"], **data}
        with self.client.post(
            path,
            data=data,
            name=name,
            headers={"Referer": f"https://127.0.0.1{path}"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                errors = re.findall(r'class="alert alert-danger"', response.text)
                response.failure(
                    f"status {response.status_code} {response.error or ''}"
                    + (" (form errors)" if errors else "")
                )
                return None
            response.success()
            return response.headers["Location"]

    def post_confirmed(self, path, data, *, name):
        """A form whose step cannot be undone: the first POST answers with the
        confirmation page (200), the user confirms, the same fields go back
        with "confirmed"; expect 302 then."""
        token = {"csrfmiddlewaretoken": self.client.cookies["__Host-csrftoken"]}
        with self.client.post(
            path,
            data={**token, **data},
            name=f"{name}, asked to confirm",
            headers={"Referer": f"https://127.0.0.1{path}"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200 or 'name="confirmed"' not in response.text:
                response.failure(f"status {response.status_code}, no confirmation")
                return None
            response.success()
        return self.post(path, {**data, "confirmed": "1"}, name=name)

    def download(self, path, *, name, params=None):
        """GET an Excel file: 200, its content type, a zip (xlsx) body."""
        with self.client.get(
            path, params=params, name=name, catch_response=True
        ) as response:
            self.check_xlsx(response)

    @staticmethod
    def check_xlsx(response):
        if response.status_code != 200:
            response.failure(f"status {response.status_code} {response.error or ''}")
        elif not response.headers.get("Content-Type", "").startswith(XLSX_TYPE):
            response.failure(f"content type {response.headers.get('Content-Type')}")
        elif not response.content.startswith(b"PK"):
            response.failure("not an xlsx file")
        else:
            response.success()


class Staff(Visitor):
    """A centre's clerk: finds classes, opens rosters, enters results of the
    class they run (their own, so that two clerks never save the same roster)."""

    weight = 40
    _next = itertools.count()

    def choose(self):
        own = PLAN["own_classes"][next(Staff._next) % len(PLAN["own_classes"])]
        self.centre = PLAN["centres"][own["centre"]]
        self.own_class = own["class"]
        self.base = f"/c/{self.centre['slug']}"
        return self.centre["staff"]

    @task(3)
    def class_list(self):
        self.page(f"{self.base}/classes/", "<title>Lớp học", name="class list")

    @task(2)
    def class_list_page(self):
        pages = max(1, -(-len(self.centre["classes"]) // 25))
        self.page(
            f"{self.base}/classes/",
            "<title>Lớp học",
            name="class list, page n",
            params={"page": random.randint(1, pages)},
        )

    @task(1)
    def class_search(self):
        self.page(
            f"{self.base}/classes/",
            "<title>Lớp học",
            name="class list, search",
            params={"q": random.choice(SEARCHES), "year": YEAR},
        )

    @task(3)
    def roster(self):
        klass = random.choice(self.centre["classes"])
        self.page(
            f"{self.base}/classes/{klass}/", "Danh sách học viên", name="class roster"
        )

    @task(1)
    def enter_results(self):
        """Open the results form of the own class, type every score, save."""
        path = f"{self.base}/classes/{self.own_class}/results/"
        form = self.page(path, "Lưu kết quả", name="results form")
        if form is None:
            return
        version = re.search(r'name="version" value="(\d+)"', form)[1]
        data = {"version": version}
        for pk in re.findall(r'name="score-(\d+)"', form):
            data[f"score-{pk}"] = f"{random.uniform(5, 10):.1f}".replace(".", ",")
            data[f"remarks-{pk}"] = ""
        if self.post(path, data, name="results save (POST)"):
            # The browser follows the redirect: the roster, with the message.
            self.page(
                f"{self.base}/classes/{self.own_class}/",
                "Đã lưu kết quả.",
                name="class roster",
            )


class Director(Visitor):
    """A centre's director: the dashboard and the year's report."""

    weight = 7
    _next = itertools.count()

    def choose(self):
        centres = PLAN["centres"]
        self.centre = centres[next(Director._next) % len(centres)]
        self.base = f"/c/{self.centre['slug']}"
        return self.centre["director"]

    @task(1)
    def dashboard(self):
        self.page(f"{self.base}/", "Đăng xuất", name="dashboard")

    @task(3)
    def year_report(self):
        self.page(
            f"{self.base}/report/",
            "Báo cáo tổng kết",
            "Số lớp đã mở",
            name="centre year report",
            params={"kind": "year", "year": YEAR},
        )


class Committee(Visitor):
    """A member of the province's party committee: rollups, and one in Excel."""

    weight = 3

    def choose(self):
        self.base = f"/o/{PLAN['organization']}/rollups/"
        return PLAN["committee"]

    @task(3)
    def rollup_page(self):
        self.page(
            self.base,
            "Tổng hợp cho cấp ủy",
            name="rollup page",
            params={"kind": "year", "year": YEAR, "rollup": random.choice(ROLLUPS)},
        )

    @task(1)
    def rollup_xlsx(self):
        """The Excel button: a short workbook comes at once; a long one is
        written by the background worker, whose page the member reloads
        (as the page itself does, every 2 s) until the file is there."""
        rollup = random.choice(ROLLUPS)
        params = {"kind": "year", "year": YEAR, "rollup": rollup}
        # A rollup that names people is sent with its purpose (a POST),
        # as the purpose form does; the others stay a plain GET.
        ask = (
            dict(
                method="POST",
                data={
                    "csrfmiddlewaretoken": self.client.cookies["__Host-csrftoken"],
                    "purpose": "committee_report",
                },
                headers={"Referer": f"https://127.0.0.1{self.base}"},
            )
            if rollup in ("certified", "pipeline")
            else dict(method="GET")
        )
        with self.client.request(
            url=f"{self.base}xlsx/",
            name="rollup xlsx",
            params=params,
            allow_redirects=False,
            catch_response=True,
            **ask,
        ) as response:
            job = response.headers.get("Location", "")
            if response.status_code == 302 and re.fullmatch(r"/report-jobs/\d+/", job):
                response.success()
            else:
                self.check_xlsx(response)
                return
        for _ in range(60):
            text = self.page(job, "Excel", name="rollup job page")
            if text is None:
                return
            if f"{job}file/" in text:
                self.download(f"{job}file/", name="rollup job file")
                return
            time.sleep(2)
        with self.client.get(job, name="rollup job page", catch_response=True) as late:
            late.failure("the workbook was not ready after 2 minutes")


class Background(Visitor):
    """The work behind the load, once: a 5.000-row list imported into a new
    class (upload, preview, confirm), then a 200-certificate batch numbered and
    followed on its page (reloaded every 2 s, as the page does) until the worker
    has printed it. Its timings go to the plan's report file."""

    fixed_count = 1
    wait_time = constant(3600)
    # Seconds: after the ramp-up's logins. The same work alone on the idle
    # server (BENCH_BACKGROUND=background_alone) starts at once.
    START_AFTER = int(os.environ.get("BENCH_BACKGROUND_START", "30"))

    def choose(self):
        self.work = PLAN[os.environ.get("BENCH_BACKGROUND", "background")]
        self.base = f"/c/{self.work['slug']}"
        self.report = {}
        return self.work["director"]

    @task
    def once(self):
        if self.report:
            return
        self.report["started"] = time.time()
        time.sleep(self.START_AFTER)
        self.import_list()
        self.print_certificates()
        self.report["ended"] = time.time()
        Path(self.work["report"]).write_text(json.dumps(self.report))

    def timed(self, key):
        self.report[key] = time.time()

    def import_list(self):
        path = f"{self.base}/classes/{self.work['import_class']}/import/"
        if self.page(path, ".xlsx", name="import form") is None:
            return
        self.timed("import_started")
        content = Path(self.work["import_file"]).read_bytes()
        with self.client.post(
            path,
            data={"csrfmiddlewaretoken": self.client.cookies["__Host-csrftoken"]},
            files={"file": ("danh-sach-5000.xlsx", content, XLSX_TYPE)},
            headers={"Referer": f"https://127.0.0.1{path}"},
            name="import upload (POST)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            preview = response.headers.get("Location", "")
            if response.status_code != 302 or not preview.startswith(path):
                response.failure(f"status {response.status_code}, to {preview!r}")
                return
            response.success()
        if self.page(preview, "5.000", name="import preview") is None:
            return
        if self.post_confirmed(f"{preview}confirm/", {}, name="import confirm (POST)"):
            self.timed("import_ended")

    def print_certificates(self):
        path = f"{self.base}/classes/{self.work['certificate_class']}/certificates/"
        if self.page(path, "Đăng xuất", name="certificates page") is None:
            return
        self.timed("batch_started")
        batch = self.post_confirmed(
            f"{path}issue/",
            {
                "issued_on": time.strftime("%d/%m/%Y"),
                "signer_title": "GIÁM ĐỐC",
                "signer_name": "Nguyễn Văn An",
                "enrollment": self.work["enrollments"],
            },
            name="certificates issue (POST)",
        )
        if batch is None:
            return
        for _ in range(600):
            text = self.page(batch, "Đăng xuất", name="certificate batch page")
            if text is None:
                return
            if "data-reload-after" not in text:
                if ".pdf" in text:
                    self.timed("batch_ended")
                return
            time.sleep(2)
