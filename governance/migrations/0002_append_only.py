"""Closed decisions, ballots, eligibility records, bindings, approved minutes and declarations
are refused UPDATE (and on PostgreSQL DELETE) by the database itself (``core.append_only``).

On SQLite a later migration that rebuilds one of these tables drops its trigger: add the
operation again after it."""

from django.db import migrations

from core.append_only import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_initial")]

    operations = [
        AppendOnly("decision", final="OLD.status = 'closed'"),
        AppendOnly("minutes", final="OLD.status = 'approved'"),
        AppendOnly("eligibilityrecord"),
        AppendOnly("ballot"),
        AppendOnly("binding"),
        AppendOnly("itemdeclaration"),
        AppendOnly("interest"),
    ]
