"""Accord under load and faults (``scripts/load``): not a test, a measurement, bounded in time and
requests, on the loopback address only.

1. Starts gunicorn with exactly the command line of ``deploy/accord-web.service`` (two workers;
   its own port) on ``LOAD_DATABASE_URL`` (the benchmark register: 50,000 partnerships), with the
   production settings plus the floor view (``benchmarks.settings_load``).
2. Makes sure of 20 load users with known roles (2 partnerships coordinators, 18 partnership
   leads who lead partnerships of the register) and signs each in through the login page.
3. Drives, with wrk (``benchmarks/load.lua``), in turn: the bare Django view (the floor); Accord's
   mix as fast as it answers (throughput); the mix as 20 users with a think time (latency); the
   mix again while one gunicorn worker is stopped (SIGTERM) and then the PostgreSQL server is
   restarted. The mix: the register filtered and sorted, partnership pages, the work queue, the
   API's lists when they answer; beside it a coordinator edits partnerships through the edit
   form (CSRF token, record version), each edit a different partnership with a marker of the run.
4. Prints requests/s, p50/p95/p99 and errors of each phase and the ratio to the floor; checks
   that no response carried a traceback, that the only failures were 503s with the clear page
   during the restart, and that every confirmed edit is in the database.
"""

import argparse
import html.parser
import http.client
import json
import os
import random
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
UNIT = BASE_DIR / "deploy" / "accord-web.service"
LUA = BASE_DIR / "benchmarks" / "load.lua"
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/accord_bench"
LOOPBACK = {"127.0.0.1", "localhost", "::1", ""}
PASSWORD = "load-test-password-2f9c"  # noqa: S105 - the benchmark database's load users only
SESSION_COOKIE = "__Host-sessionid"
CSRF_COOKIE = "__Host-csrftoken"
CLEAR_PAGE = "try again in a minute"
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "Exception Value")

# The users the load signs in: (username, role). Leads are taken from the register's own leads.
COORDINATORS = 2
LEADS = 18


def say(*args):
    print(*args, flush=True)


# ---------------------------------------------------------------------------------------------
# The server


def deploy_command(bind):
    """gunicorn's command line from deploy/accord-web.service, its own ACCORD_BIND, this venv."""
    text = UNIT.read_text()
    line = next(line for line in text.splitlines() if line.startswith("ExecStart="))
    words = shlex.split(line.removeprefix("ExecStart="))
    words[0] = str(BASE_DIR / ".venv" / "bin" / Path(words[0]).name)
    return [word.replace("${ACCORD_BIND}", bind) for word in words]


class Server:
    def __init__(self, env, port, log_path):
        self.env = env
        self.port = port
        self.log_path = log_path
        self.process = None

    def start(self):
        command = deploy_command(f"127.0.0.1:{self.port}")
        say("gunicorn:", " ".join(command[1:]))
        self.log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(  # noqa: S603 - the unit file's own command line
            command, cwd=BASE_DIR, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.log_path}")
            try:
                status, _, _ = http_request(self.port, "GET", "/bench/floor/")
                if status == 200 and len(self.workers()) >= 2:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within 60 s; see {self.log_path}")

    def workers(self):
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=45)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        if self.process:
            self.log.close()


# ---------------------------------------------------------------------------------------------
# HTTP as a browser behind the proxy


def http_request(port, method, path, cookies=None, body=None, headers=None, timeout=60):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    all_headers = {"X-Forwarded-Proto": "https", **(headers or {})}
    if cookies:
        all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    if body is not None:
        body = urllib.parse.urlencode(body, doseq=True).encode()
        all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        all_headers["Origin"] = f"https://127.0.0.1:{port}"
        all_headers["Referer"] = f"https://127.0.0.1:{port}{path}"
    try:
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        data = response.read().decode("utf-8", "replace")
        if cookies is not None:
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    cookies[name] = morsel.value
        return response.status, response.headers, data
    finally:
        connection.close()


class FormParser(html.parser.HTMLParser):
    """The fields of every form on a page, as a browser would submit them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._select = None
        self._textarea = None
        self._option = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": []})
        if not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            fields.append([a["name"], a.get("value", "on" if kind in {"checkbox", "radio"} else "")])
        elif tag == "select":
            self._select = {"name": a.get("name"), "selected": [], "first": None}
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            if self._select["first"] is None:
                self._select["first"] = a.get("value", "")
            if "selected" in a:
                self._select["selected"].append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            s = self._select
            if s["name"]:
                for value in s["selected"]:
                    self.forms[-1]["fields"].append([s["name"], value])
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            value = self._textarea[1]
            self.forms[-1]["fields"].append([self._textarea[0], value[1:] if value.startswith("\n") else value])
            self._textarea = None


def form_with(page, field):
    parser = FormParser()
    parser.feed(page)
    for form in parser.forms:
        if any(name == field for name, _ in form["fields"]):
            return form["fields"]
    raise LookupError(f"no form with {field}")


def sign_in(port, username):
    cookies = {}
    status, _, page = http_request(port, "GET", "/accounts/login/", cookies)
    if status != 200:
        raise SystemExit(f"login page answered {status}")
    fields = dict(form_with(page, "csrfmiddlewaretoken"))
    fields.update(username=username, password=PASSWORD)
    status, _, _ = http_request(port, "POST", "/accounts/login/", cookies, body=fields)
    if status != 302 or SESSION_COOKIE not in cookies:
        raise SystemExit(f"{username} could not sign in (HTTP {status})")
    return cookies


# ---------------------------------------------------------------------------------------------
# The database


def manage(env, *args, stdin=None):
    result = subprocess.run(  # noqa: S603 - this venv's manage.py
        [str(BASE_DIR / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=BASE_DIR,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


ENSURE_USERS = """
import json
from django.db.models import Count
from axes.models import AccessAttempt
from accounts.models import User
from core.roles import Role
from partnerships.models import Partnership

password = {password!r}
users = []
for n in range(1, {coordinators} + 1):
    user, _ = User.objects.get_or_create(
        username=f"load-coordinator-{{n}}",
        defaults={{"first_name": "Load", "last_name": f"Coordinator {{n}}", "role": Role.COORDINATOR}},
    )
    users.append(user)
lead_ids = (
    Partnership.objects.filter(lead__role=Role.LEAD, lead__is_active=True)
    .values("lead").annotate(n=Count("pk")).order_by("-n", "lead")[: {leads}]
)
users += list(User.objects.filter(pk__in=[row["lead"] for row in lead_ids]))
for user in users:
    user.set_password(password)
    user.is_active = True
    user.save()
AccessAttempt.objects.filter(username__in=[u.username for u in users]).delete()
ids = list(Partnership.objects.order_by("?").values_list("pk", flat=True)[:3000])
print("LOADUSERS " + json.dumps({{
    "users": [[u.username, u.role] for u in users],
    "partnerships": ids,
}}))
"""


def partnership_count(url):
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=5) as connection:
            return connection.execute("SELECT count(*) FROM partnerships_partnership").fetchone()[0]
    except psycopg.errors.UndefinedTable:
        return 0


def marked_edits(url, marker):
    import psycopg

    with psycopg.connect(url, connect_timeout=10) as connection:
        rows = connection.execute(
            "SELECT notes FROM partnerships_partnership WHERE notes LIKE %s", [f"%{marker}%"]
        ).fetchall()
    found = set()
    for (notes,) in rows:
        found.update(int(n) for n in re.findall(re.escape(marker) + r"#(\d+)\]", notes))
    return len(rows), found


def postgresql_cluster():
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    return versions[-1] if versions else None


def pg_isready(host="127.0.0.1", port="5432"):
    command = ["pg_isready", "-h", host, "-p", str(port)]
    return subprocess.run(command, capture_output=True).returncode == 0  # noqa: S603 - PostgreSQL's own tool


# ---------------------------------------------------------------------------------------------
# Edits beside the mix


class Editor(threading.Thread):
    """A coordinator editing partnerships one after another through the edit page: each edit a
    different partnership, its notes given the run's marker and the edit's number. An edit is
    confirmed when the save redirects (302), the page's answer to a saved form."""

    def __init__(self, port, cookies, partnerships, marker, pause):
        super().__init__(daemon=True)
        self.port, self.cookies, self.marker, self.pause = port, cookies, marker, pause
        self.partnerships = list(partnerships)
        self.number = 0
        self.confirmed = []
        self.outcomes = {}
        self.latencies = []
        self.tracebacks = 0
        self.unclear = 0
        self.events = []
        self.active = threading.Event()
        self.finished = threading.Event()

    def note(self, outcome, body=""):
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        if any(marker in body for marker in TRACEBACK_MARKERS):
            self.tracebacks += 1
        if outcome.startswith("503") and CLEAR_PAGE not in body:
            self.unclear += 1
        if not outcome.startswith("confirmed"):
            self.events.append((time.time(), outcome))

    def edit_once(self):
        pk = self.partnerships.pop()
        path = f"/partnerships/{pk}/edit/"
        started = time.monotonic()
        status, _, page = http_request(self.port, "GET", path, self.cookies)
        if status != 200:
            return self.note(f"{status} on the form", page)
        fields = form_with(page, "record_version")
        self.number += 1
        tag = f"[{self.marker}#{self.number}]"
        notes = next((value for name, value in fields if name == "notes"), "")
        fields = [(name, value) for name, value in fields if name != "notes"]
        fields.append(("notes", f"{notes} {tag}".strip()))
        status, _, page = http_request(self.port, "POST", path, self.cookies, body=fields)
        self.latencies.append(time.monotonic() - started)
        if status == 302:
            self.confirmed.append(self.number)
            return self.note("confirmed")
        if status == 400:
            errors = re.findall(r'nhsuk-error-message">(?:<span[^>]*>[^<]*</span>)?\s*([^<]+)', page)
            return self.note(f"400 refused: {'; '.join(e.strip() for e in errors[:3]) or 'see the form'}", page)
        return self.note(f"{status} on the save", page)

    def run(self):
        while not self.finished.is_set():
            if not self.active.wait(timeout=0.2):
                continue
            try:
                self.edit_once()
            except (OSError, http.client.HTTPException) as error:
                self.note(f"connection: {error.__class__.__name__}")
            except LookupError as error:
                self.note(f"form: {error}")
            time.sleep(self.pause)


# ---------------------------------------------------------------------------------------------
# wrk


def lua_string(value):
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run_wrk(port, workdir, name, groups, cookies, duration, connections, think_ms, max_requests, during=None):
    events_dir = workdir / f"events-{name}"
    events_dir.mkdir()
    data = workdir / f"{name}.lua"
    data.write_text(
        "cookies = {" + ", ".join(lua_string(c) for c in cookies) + "}\n"
        "groups = {"
        + ", ".join(f"{{{weight}, {{{', '.join(lua_string(p) for p in paths)}}}}}" for weight, paths in groups)
        + "}\n"
        f"think_ms = {think_ms}\nmax_requests = {max_requests}\nevents_dir = {lua_string(str(events_dir))}\n"
    )
    command = [
        "wrk",
        "--threads",
        "2",
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        "--timeout",
        "30s",
        "--script",
        str(LUA),
        f"http://127.0.0.1:{port}",
    ]
    started = time.time()
    process = subprocess.Popen(  # noqa: S603 - wrk with our own script
        command, env={**os.environ, "LOAD_DATA": str(data)}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        if during:
            during(started)
        output, _ = process.communicate(timeout=duration + 60)
    except BaseException:
        process.kill()
        process.wait()
        raise
    line = next((line for line in output.splitlines() if line.startswith("LOADRESULT ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no result:\n{output}")
    result = json.loads(line.removeprefix("LOADRESULT "))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["events"] = []
    for log in events_dir.glob("thread-*.log"):
        for entry in log.read_text().split("\n"):
            if entry.strip():
                second, status, traceback, clear = (int(x) for x in entry.split())
                result["events"].append((second, status, traceback, clear))
    result["started"] = started
    return result


def ms(us):
    return f"{us / 1000:.0f} ms" if us >= 10_000 else f"{us / 1000:.1f} ms"


def failures(result):
    return (
        result["connect"]
        + result["read"]
        + result["write"]
        + result["timeout"]
        + result["redirects"]
        + result["unavailable"]
        + result["client_errors"]
        + result["server_errors"]
    )


def print_phase(title, result):
    say(
        f"  {title:<44} {result['requests']:>7} requests  {result['rps']:>7.1f} req/s  "
        f"p50 {ms(result['p50_us']):>8}  p95 {ms(result['p95_us']):>8}  p99 {ms(result['p99_us']):>8}  "
        f"errors {failures(result)}"
        + (
            f" (503: {result['unavailable']}, other 5xx: {result['server_errors']}, "
            f"4xx: {result['client_errors']}, 3xx: {result['redirects']}, "
            f"socket: {result['connect'] + result['read'] + result['write'] + result['timeout']})"
            if failures(result)
            else ""
        )
    )


# ---------------------------------------------------------------------------------------------
# The run


def arguments(argv):
    parser = argparse.ArgumentParser(prog="scripts/load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds of each phase (default 60)")
    parser.add_argument("--users", type=int, default=20, help="signed-in users, one connection each (default 20)")
    parser.add_argument(
        "--think-ms", type=int, default=1000, help="mean think time of the paced phases, in ms (default 1000)"
    )
    parser.add_argument("--max-requests", type=int, default=100_000, help="requests per wrk thread at most")
    parser.add_argument("--edit-pause", type=float, default=1.0, help="seconds between two edits (default 1)")
    parser.add_argument("--port", type=int, default=8765, help="the loopback port gunicorn listens on")
    parser.add_argument("--no-faults", action="store_true", help="leave out the worker and PostgreSQL restarts")
    parser.add_argument(
        "--no-database-restart", action="store_true", help="restart the worker only, not PostgreSQL (a shared server)"
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = arguments(argv)
    if not 30 <= args.duration <= 600:
        raise SystemExit("--duration is between 30 and 600 seconds")
    url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_DATABASE_URL)
    parsed = urllib.parse.urlparse(url)
    if parsed.scheme not in {"postgres", "postgresql"}:
        raise SystemExit("LOAD_DATABASE_URL must be a PostgreSQL database (postgres://…)")
    if (parsed.hostname or "") not in LOOPBACK:
        raise SystemExit("scripts/load runs on this machine only: LOAD_DATABASE_URL must be on 127.0.0.1")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk (scripts/load installs it when run as root)")
    count = partnership_count(url)
    if count == 0:
        raise SystemExit(
            f"{url} holds no partnerships. Seed the benchmark register into it first (about 30 minutes):\n"
            f"  BENCH_DATABASE_URL={url} scripts/bench --database url\n"
            "then run scripts/load again (scripts/bench --keep measures it again without reseeding)."
        )
    cluster = postgresql_cluster()
    faults = not args.no_faults
    restart_database = faults and not args.no_database_restart
    if restart_database and cluster is None:
        raise SystemExit("no PostgreSQL cluster under /etc/postgresql to restart: use --no-faults")
    say(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    say(f"Accord under load: {count:,} partnerships in {parsed.path.lstrip('/')}, {args.users} users, 2 workers")

    workdir = Path(tempfile.mkdtemp(prefix="accord-load-"))
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}},
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings_load",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{args.port}",
        "DATABASE_URL": url,
        "STATIC_ROOT": str(workdir / "static"),
        "DOCUMENT_STORAGE_DIR": str(workdir / "documents"),
        "IMPORT_STAGING_DIR": str(workdir / "imports"),
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
        "PYTHONUNBUFFERED": "1",
    }
    say("collectstatic …")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    say("load users …")
    output = manage(
        env,
        "shell",
        "--no-startup",
        stdin=ENSURE_USERS.format(password=PASSWORD, coordinators=COORDINATORS, leads=args.users - COORDINATORS),
    )
    prepared = json.loads(next(line for line in output.splitlines() if line.startswith("LOADUSERS ")).split(" ", 1)[1])
    users = prepared["users"]
    partnerships = prepared["partnerships"]
    random.Random(1).shuffle(partnerships)  # noqa: S311 - an order, not a secret
    say(f"  {sum(r == 'coordinator' for _, r in users)} coordinators, {sum(r == 'lead' for _, r in users)} leads")

    server = Server(env, args.port, workdir / "gunicorn.log")
    editor = None
    restarted = {}
    try:
        server.start()
        say(f"signing in {len(users)} users …")
        sessions = {username: sign_in(args.port, username) for username, _ in users}
        wanted = {SESSION_COOKIE, CSRF_COOKIE}
        cookies = ["; ".join(f"{k}={v}" for k, v in sessions[u].items() if k in wanted) for u, _ in users]
        coordinator = sessions[users[0][0]]
        lead = sessions[next(u for u, r in users if r == "lead")]

        # The mix: what register keepers' and leads' days look like, in shares of the requests.
        sample = partnerships[:200]
        register = [
            "/partnerships/?status=active&sort=-annual_value",
            "/partnerships/?status=active&tier=1&sort=-annual_value",
            "/partnerships/?tier=2&sort=end_date",
            "/partnerships/?sort=title&page=20",
            "/partnerships/?q=health",
        ]
        pages = [f"/partnerships/{pk}/" for pk in sample]
        for path in ["/work/", "/partnerships/?status=active&sort=-annual_value", f"/partnerships/{sample[0]}/"]:
            for who, jar in (("coordinator", coordinator), ("lead", lead)):
                status, _, _ = http_request(args.port, "GET", path, dict(jar))
                if status != 200:
                    raise SystemExit(f"{path} answered {status} to a {who}: the mix would measure errors")
        api = []
        for path in ["/api/partnerships/", "/api/organisations/", "/api/agreements/", "/api/risks/"]:
            status, _, _ = http_request(args.port, "GET", path, dict(coordinator))
            lead_status, _, _ = http_request(args.port, "GET", path, dict(lead))
            if status == 200 and lead_status == 200:
                api.append(path)
                say(f"  API {path}: 200, in the mix")
            else:
                say(f"  API {path}: {status} (coordinator) / {lead_status} (lead): not in the mix")
        groups = [(40, register), (30, pages), (20, ["/work/"])] + ([(10, api)] if api else [])
        say(
            f"  mix: register 40% ({len(register)} filters and sorts), partnership pages 30% ({len(pages)} of them), "
            f"work queue 20%" + (f", API lists 10% ({len(api)})" if api else "") + "; edits beside it"
        )

        marker = f"load-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3)}"
        editor = Editor(args.port, sessions[users[1][0]], partnerships[200:], marker, args.edit_pause)
        editor.start()

        def phase(name, **kw):
            return run_wrk(args.port, workdir, name, max_requests=args.max_requests, **kw)

        say(f"\nphases of {args.duration} s:")
        bare = [(1, ["/bench/floor/"])]
        floor = phase("floor", groups=bare, cookies=[], duration=args.duration, connections=args.users, think_ms=0)
        print_phase("floor: bare Django view, no think time", floor)

        editor.active.set()
        mix = {"groups": groups, "cookies": cookies, "connections": args.users}
        flat_out = phase("mix", **mix, duration=args.duration, think_ms=0)
        print_phase("Accord mix, no think time", flat_out)
        paced = phase("paced", **mix, duration=args.duration, think_ms=args.think_ms)
        print_phase(f"Accord mix, {args.users} users thinking {args.think_ms} ms", paced)
        edits_before_faults = len(editor.confirmed)

        fault_result = None
        if faults:
            fault_duration = max(args.duration, 60)

            def inject(started):
                time.sleep(10)
                workers = server.workers()
                restarted["worker"] = (time.time(), workers[0])
                os.kill(workers[0], signal.SIGTERM)
                time.sleep(max(15, fault_duration // 3))
                if not restart_database:
                    return
                restarted["postgresql_start"] = time.time()
                subprocess.run(  # noqa: S603 - PostgreSQL's own tool
                    ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"],  # noqa: S607
                    check=True,
                    capture_output=True,
                    timeout=120,
                )
                while not pg_isready():
                    time.sleep(0.2)
                restarted["postgresql_ready"] = time.time()

            fault_result = phase(
                "faults",
                groups=groups,
                cookies=cookies,
                duration=fault_duration,
                connections=args.users,
                think_ms=args.think_ms,
                during=inject,
            )
            print_phase("Accord mix, worker and PostgreSQL restarted", fault_result)
        editor.active.clear()
        time.sleep(args.edit_pause + 1)
    finally:
        if editor is not None:
            editor.finished.set()
            editor.join(timeout=90)
        server.stop()
        if restart_database and not pg_isready():
            start = ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "start"]
            subprocess.run(start, check=False)  # noqa: S603 - PostgreSQL's own tool
            for _ in range(100):
                if pg_isready():
                    break
                time.sleep(0.3)

    # ----- what it shows
    ok = True

    def goal(met, text):
        nonlocal ok
        ok = ok and met
        say(f"  [{'met' if met else 'NOT MET'}] {text}")

    say(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} CPUs)")
    say("\nfigures:")
    ratio = flat_out["rps"] / floor["rps"]
    say(f"  throughput: Accord {flat_out['rps']:.1f} req/s, floor {floor['rps']:.1f} req/s, ratio {ratio:.3f}")
    say(f"  p95: Accord {ms(flat_out['p95_us'])} flat out, {ms(paced['p95_us'])} paced; floor {ms(floor['p95_us'])}")
    if editor.latencies:
        lat = sorted(editor.latencies)
        say(
            f"  edits (form read and save): {len(lat)} tried, median {lat[len(lat) // 2] * 1000:.0f} ms, "
            f"slowest {lat[-1] * 1000:.0f} ms; outcomes {editor.outcomes}"
        )
    steady = [floor, flat_out, paced]
    steady_edit_failures = [o for t, o in editor.events if not restarted or t < restarted["worker"][0]]
    say("\ngoals:")
    goal(
        all(failures(r) == 0 for r in steady) and not steady_edit_failures,
        f"0 errors outside the restart window (mix {failures(flat_out)}, paced {failures(paced)}, "
        f"floor {failures(floor)}, edits {len(steady_edit_failures)})",
    )
    goal(paced["p95_us"] < 300_000, f"p95 under 300 ms for pages with {args.users} users ({ms(paced['p95_us'])})")
    goal(ratio >= 0.5, f"throughput at least half the floor's ({ratio:.3f} of it)")
    all_results = steady + ([fault_result] if fault_result else [])
    tracebacks = sum(r["tracebacks"] for r in all_results) + editor.tracebacks
    goal(tracebacks == 0, f"no response with a traceback ({tracebacks})")

    if fault_result:
        worker_at, worker_pid = restarted["worker"]
        pg_from = restarted.get("postgresql_start", worker_at)
        pg_ready = restarted.get("postgresql_ready", worker_at - 6)
        told = f"\n  worker {worker_pid} stopped (SIGTERM) at +{worker_at - fault_result['started']:.0f} s"
        if "postgresql_start" in restarted:
            told += (
                f"; PostgreSQL restarted at +{pg_from - fault_result['started']:.0f} s, "
                f"accepting again {pg_ready - pg_from:.1f} s later"
            )
        say(told)
        window = (pg_from - 1, pg_ready + 5)
        inside = [e for e in fault_result["events"] if window[0] <= e[0] <= window[1]]
        outside = [e for e in fault_result["events"] if not window[0] <= e[0] <= window[1]]
        unclear = [e for e in fault_result["events"] if e[1] == 503 and not e[3]]
        not_503 = [e for e in inside if e[1] != 503]
        say(
            f"  during the restart window ({window[1] - window[0]:.0f} s): {len(inside)} failed responses "
            f"({sum(e[1] == 503 for e in inside)} 503 with the clear page"
            + (f", {len(not_503)} other: {sorted({e[1] for e in not_503})}" if not_503 else "")
            + f"); outside it: {len(outside)}"
            + (f" ({sorted({e[1] for e in outside})})" if outside else "")
        )
        socket_errors = sum(fault_result[k] for k in ("connect", "read", "write", "timeout"))
        edits_outside = [o for t, o in editor.events if t >= worker_at and not window[0] <= t <= window[1]]
        goal(
            not outside and not not_503 and not unclear and socket_errors == 0 and not edits_outside,
            "through the restarts: only 503s with the clear page, only while PostgreSQL restarted "
            f"(socket errors {socket_errors}, 503 without the page {len(unclear)}, "
            f"edits failed outside the window {len(edits_outside)})",
        )
        say(f"  edits failed during the faults: {[o for t, o in editor.events if t >= worker_at]}")
        goal(pg_isready(), "PostgreSQL accepting connections at the end")

    changed, found = marked_edits(url, marker)
    confirmed = set(editor.confirmed)
    lost = sorted(confirmed - found)
    goal(
        not lost and changed == len(found),
        f"nothing written is lost: {len(confirmed)} edits confirmed, {changed} partnerships changed "
        f"({edits_before_faults} before the faults), lost {len(lost)}"
        + (f", {len(found - confirmed)} saved but unconfirmed (a 503 after the commit)" if found - confirmed else ""),
    )
    say(f"\n(gunicorn log: {server.log_path}; marker of this run's edits: {marker})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
