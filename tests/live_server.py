"""The live server the browser tests drive, answering one request at a time.

On SQLite the tests' database is in memory, and the live server's threads share the test's one
connection to it. Two requests answered at once (a page and the htmx panel it loads, or a panel
still loading when the test moves to the next page) then interleave their statements on that one
connection and one of them reads the other's results: a page answered 400 or 500 for nothing it
did. Answering one request at a time, as a single process of the production server would on one
connection, makes the pages' answers the same however fast the browser is.
"""

import threading

from django.contrib.staticfiles.handlers import StaticFilesHandler

ANSWERING = threading.Lock()


class OneRequestAtATime(StaticFilesHandler):
    """The live server's handler: the whole answer, body included, is produced under one lock.

    The lock is around the application, not the socket: Chromium opens connections ahead of the
    requests it will send, and a server that waited on an idle connection would wait for ever."""

    def __call__(self, environ, start_response):
        with ANSWERING:
            response = super().__call__(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                if hasattr(response, "close"):
                    response.close()
        return [body]
