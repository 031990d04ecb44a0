"""Errors reach the operators' collector, without what the person sent. The test runs the
app in a process of its own, with a database of its own: it runs once, not once a database."""

import gzip
import http.server
import os
import subprocess
import sys
import threading

import brotli


def test_an_error_goes_to_sentry_when_a_dsn_is_set_without_what_the_person_sent(tmp_path):
    """A Sentry-speaking collector on loopback gets the error with its request id; the
    session cookie and the form are not in it. Without SENTRY_DSN nothing is sent."""
    received: list[bytes] = []

    class Collector(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            # Sentry's client packs its envelopes with brotli where it is installed (it is,
            # for the PDF reports), else with gzip.
            encoding = self.headers.get("Content-Encoding")
            if encoding == "gzip":
                body = gzip.decompress(body)
            elif encoding == "br":
                body = brotli.decompress(body)
            received.append(body)
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    request = """
import django
django.setup()
from django.contrib.auth import views
from django.test import Client
import sentry_sdk

def broken(*args, **kwargs):
    raise RuntimeError("noe brast i innloggingen")

views.LoginView.post = broken
client = Client(raise_request_exception=False, HTTP_X_REQUEST_ID="probe-7",
                HTTP_HOST="127.0.0.1")
client.cookies["sessionid"] = "hemmelig-okt"
page = client.post("/login/", {"username": "a", "password": "hemmelig-passord"})
print(page.status_code)
sentry_sdk.flush(5)
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "maalbilde.settings",
           "MAALBILDE_DATA_DIR": str(tmp_path), "SECRET_KEY": "test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'maalbilde.sqlite3'}",
           "SENTRY_DSN": f"http://key@127.0.0.1:{server.server_port}/1"}  # fmt: skip
    # The process's own database, made once for both runs.
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, check=True)
    try:
        ran = subprocess.run([sys.executable, "-c", request], env=env, capture_output=True,
                             text=True, timeout=60)  # fmt: skip
        assert ran.stdout.strip() == "500", ran.stderr[-2000:]
        sent = b"".join(received).decode()
        assert "noe brast i innloggingen" in sent and '"request_id":"probe-7"' in sent
        assert "hemmelig-okt" not in sent and "hemmelig-passord" not in sent
        received.clear()
        del env["SENTRY_DSN"]
        ran = subprocess.run([sys.executable, "-c", request], env=env, capture_output=True,
                             text=True, timeout=60)  # fmt: skip
        assert ran.stdout.strip() == "500" and received == []
    finally:
        server.shutdown()
