"""Production serving: ``accord.settings_production`` from the environment, the systemd units of
``deploy/``, and the production server (gunicorn with the unit's own command line) answering a
clear 503, never a traceback, while PostgreSQL cannot be reached.

Each runs in a process of its own, as a deployment would: production settings refuse to load
without their environment, and the test run's own switches (DEBUG, the async-unsafe allowance)
are left out.
"""

import configparser
import http.client
import json
import os
import secrets
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
DEPLOY = BASE_DIR / "deploy"
VENV_BIN = Path(sys.executable).parent


def production_env(**env):
    base = {k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "DEBUG", "SECRET_KEY"}}
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "accord.settings_production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "accord.example.nhs.uk",
        "CSRF_TRUSTED_ORIGINS": "https://accord.example.nhs.uk",
        "DATABASE_URL": "postgres://accord:secret@db.internal:5432/accord",
        "STATIC_ROOT": "/var/lib/accord/static",
        "EMAIL_HOST": "smtp.example.nhs.uk",
        "EMAIL_PORT": "587",
        "EMAIL_USE_TLS": "1",
        **env,
    }


def run_python(code, env):
    return subprocess.run(  # noqa: S603 - this interpreter, our own code
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


READ_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "CSRF_TRUSTED_ORIGINS": settings.CSRF_TRUSTED_ORIGINS,
    "engine": db["ENGINE"], "host": db["HOST"], "name": db["NAME"],
    "conn_max_age": db["CONN_MAX_AGE"], "health_checks": db["CONN_HEALTH_CHECKS"],
    "STATIC_ROOT": str(settings.STATIC_ROOT),
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_PROXY_SSL_HEADER": list(settings.SECURE_PROXY_SSL_HEADER),
    "SECURE_HSTS_SECONDS": settings.SECURE_HSTS_SECONDS,
    "SECURE_SSL_REDIRECT": settings.SECURE_SSL_REDIRECT,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND, "EMAIL_HOST": settings.EMAIL_HOST, "EMAIL_PORT": settings.EMAIL_PORT,
    "EMAIL_USE_TLS": settings.EMAIL_USE_TLS,
    "log_stream": settings.LOGGING["handlers"]["console"].get("stream"),
}))
"""


def test_production_settings_come_from_the_environment():
    result = run_python(READ_SETTINGS, production_env())
    assert result.returncode == 0, result.stderr
    read = json.loads(result.stdout)
    assert read == {
        "DEBUG": False,
        "ALLOWED_HOSTS": ["accord.example.nhs.uk"],
        "CSRF_TRUSTED_ORIGINS": ["https://accord.example.nhs.uk"],
        "engine": "django.db.backends.postgresql",
        "host": "db.internal",
        "name": "accord",
        "conn_max_age": 60,
        "health_checks": True,
        "STATIC_ROOT": "/var/lib/accord/static",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.nhs.uk",
        "EMAIL_PORT": 587,
        "EMAIL_USE_TLS": True,
        "log_stream": "ext://sys.stdout",
    }


def test_production_settings_refuse_to_load_without_a_secret_key():
    env = production_env()
    del env["SECRET_KEY"]
    result = run_python(READ_SETTINGS, env)
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SECRET_KEY to a random string of at least 50 characters." in result.stderr
    assert "DEBUG" not in result.stdout


def test_the_deploy_check_passes_with_the_production_environment():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout


def unit(name):
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read(DEPLOY / name)
    return parser


def exec_start(name):
    return shlex.split(unit(name)["Service"]["ExecStart"])


def test_the_units_run_accord_from_one_install_with_one_environment():
    web, worker, backup = (unit(f"accord-{n}.service") for n in ("web", "worker", "backup"))
    for service in (web, worker, backup):
        assert service["Service"]["EnvironmentFile"] == "/etc/accord/accord.env"
        assert service["Service"]["WorkingDirectory"] == "/srv/accord"
        assert service["Service"]["User"] == "accord"
    command = exec_start("accord-web.service")
    assert command[:2] == ["/srv/accord/.venv/bin/gunicorn", "accord.wsgi:application"]
    assert command[command.index("--workers") + 1] == "2"
    assert command[command.index("--bind") + 1] == "${ACCORD_BIND}"
    assert web["Service"]["Environment"] == "ACCORD_BIND=127.0.0.1:8000"
    assert exec_start("accord-worker.service") == ["/srv/accord/.venv/bin/python", "manage.py", "db_worker"]
    assert 'manage.py backup "/var/backups/accord/accord-' in backup["Service"]["ExecStart"]
    assert backup["Service"]["Type"] == "oneshot"
    timer = unit("accord-backup.timer")
    assert timer["Timer"]["Unit"] == "accord-backup.service"
    assert timer["Timer"]["OnCalendar"] == "*-*-* 02:30:00"
    assert timer["Install"]["WantedBy"] == "timers.target"
    env_example = (DEPLOY / "accord.env.example").read_text()
    assert "DJANGO_SETTINGS_MODULE=accord.settings_production" in env_example
    nginx = (DEPLOY / "nginx-accord.conf").read_text()
    assert "proxy_pass http://accord;" in nginx and "server 127.0.0.1:8000" in nginx
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in nginx


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port, path, cookie):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https", "Cookie": cookie})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read().decode()
    finally:
        connection.close()


@pytest.fixture
def production_server_without_its_database(tmp_path):
    """gunicorn exactly as accord-web.service starts it (this venv, a port of its own), on
    production settings whose PostgreSQL is a port nothing listens on."""
    port, unused = free_port(), free_port()
    command = [part.replace("${ACCORD_BIND}", f"127.0.0.1:{port}") for part in exec_start("accord-web.service")]
    command[0] = str(VENV_BIN / "gunicorn")
    env = production_env(ALLOWED_HOSTS="127.0.0.1", DATABASE_URL=f"postgres://accord@127.0.0.1:{unused}/accord")
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not listen within 60 s"
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=60)
        log.close()


def test_the_production_server_answers_a_clear_503_while_the_database_is_unreachable(
    production_server_without_its_database,
):
    port = production_server_without_its_database
    signed_in = "__Host-sessionid=abcdefghijklmnopqrstuvwxyz012345"
    status, headers, page = get(port, "/partnerships/?status=active&sort=-annual_value", signed_in)
    assert status == 503, page
    assert headers["Retry-After"] == "30"
    assert headers["Content-Type"].startswith("text/html")
    assert "Accord is briefly unavailable, try again in a minute." in page
    for detail in ("Traceback", "OperationalError", "psycopg", "connection", str(BASE_DIR)):
        assert detail not in page

    status, headers, body = get(port, "/api/partnerships/", signed_in)
    assert status == 503
    assert headers["Content-Type"] == "application/json"
    assert headers["Retry-After"] == "30"
    assert json.loads(body) == {"detail": "Accord is briefly unavailable, try again in a minute.", "status": 503}
