"""The reminders group's e-mail backend: each message's ``X-Accord-Reminder`` key, one line to
the file ``BENCH_MAIL_LOG`` (appended, so that two worker processes in turn can be checked for a
reminder sent twice), instead of 50,000 e-mails on the console."""

import os

from django.core.mail.backends.base import BaseEmailBackend


class KeyLogBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        with open(os.environ["BENCH_MAIL_LOG"], "a", encoding="utf-8") as log:
            for message in email_messages:
                message.message()  # build it, as a real backend would
                log.write(message.extra_headers.get("X-Accord-Reminder", "") + "\n")
        return len(email_messages)
