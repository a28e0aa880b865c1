"""Demo data: an e-mail address for each demo login that has none, so that the worker beside
``scripts/run`` has someone to remind (its e-mails are written to the console)."""

from django.contrib.auth import get_user_model

from core.audit import audit_context
from core.demo import Seeded, counted

DEMO_DOMAIN = "accord-demo.invalid"  # a reserved domain: nothing can ever be delivered there


def seed():
    people = get_user_model().objects.filter(email="", is_active=True)
    n = 0
    with audit_context(source="seed"):
        for person in people:
            person.email = f"{person.username}@{DEMO_DOMAIN}" if "@" not in person.username else person.username
            person.save(update_fields=["email"])
            n += 1
    return n


def demo_step():
    return Seeded(added=counted(seed(), "e-mail address", "e-mail addresses"))
