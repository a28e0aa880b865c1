"""Records that are never changed or deleted once final: the audit trail, and any app's closed
decisions, ballots, approved minutes… One mechanism, used by every such model:

- :class:`AppendOnlyQuerySet` refuses ``update()`` and ``delete()`` touching a final row;
- :class:`AppendOnlyModel` refuses ``save()`` and ``delete()`` of a row that is final as stored
  (so changing a loaded record's state back in memory does not get round it);
- :class:`AppendOnly`, a migration operation, adds the database triggers: on PostgreSQL UPDATE and
  DELETE of a final row fail; on SQLite UPDATE fails (deletes there are refused by the
  application: a SQLite trigger cannot tell a test database flush from a purge).

A model says which rows are final with ``append_only_final``: ``None`` (every row, once
written) or a ``Q`` on its own fields ("status is closed"); the migration gives the same condition
as SQL on the stored row (``"OLD.status = 'closed'"``).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.migrations.operations.base import Operation


class AppendOnlyError(ValidationError):
    """Raised when code tries to change or remove a final record.

    A ``ValidationError``, so that a page or service that meets one refuses with its message (400)
    like any other refused input, rather than failing."""


def _message(model):
    return f"{model._meta.verbose_name_plural.capitalize()} are append-only once final and cannot be"


class AppendOnlyQuerySet(models.QuerySet):
    def _touches_final(self):
        final = getattr(self.model, "append_only_final", None)
        return True if final is None else self.filter(final).exists()

    def update(self, **kwargs):
        if self._touches_final():
            raise AppendOnlyError(f"{_message(self.model)} updated.")
        return super().update(**kwargs)

    def delete(self):
        if self._touches_final():
            raise AppendOnlyError(f"{_message(self.model)} deleted.")
        return super().delete()


class AppendOnlyModel(models.Model):
    """Refuses to save over or delete a stored row that is final (``append_only_final``)."""

    append_only_final = None

    class Meta:
        abstract = True
        base_manager_name = "objects"

    def stored_final(self):
        """Is the row as stored (not as changed in memory) final?"""
        if self.pk is None or self._state.adding:
            return False
        rows = type(self)._base_manager.filter(pk=self.pk)
        if self.append_only_final is not None:
            rows = rows.filter(self.append_only_final)
        return rows.exists()

    def save(self, *args, **kwargs):
        if self.stored_final():
            raise AppendOnlyError(f"{_message(type(self))} updated.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.stored_final():
            raise AppendOnlyError(f"{_message(type(self))} deleted.")
        return super().delete(*args, **kwargs)


class AppendOnly(Operation):
    """Database triggers refusing UPDATE (and on PostgreSQL DELETE) of a model's final rows.

    ``final`` is SQL on the stored row (``"OLD.status = 'closed'"``), ``None`` for every row.
    Reversible; changes no model state.
    """

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name, final=None):
        self.model_name = model_name
        self.final = final

    def deconstruct(self):
        kwargs = {"model_name": self.model_name}
        if self.final is not None:
            kwargs["final"] = self.final
        return self.__class__.__name__, [], kwargs

    def state_forwards(self, app_label, state):
        pass

    def describe(self):
        return f"Make {self.model_name} append-only once final"

    def _names(self, app_label, to_state):
        table = to_state.apps.get_model(app_label, self.model_name)._meta.db_table
        return table, f"{table}_append_only"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        table, name = self._names(app_label, to_state)
        when = f"WHEN ({self.final})" if self.final else ""
        message = f"{table}: final rows are append-only"
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ "
                f"BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql"
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW {when} EXECUTE FUNCTION {name}()"
            )
        elif schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {name}_no_update BEFORE UPDATE ON {table} {when} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        table, name = self._names(app_label, from_state)
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()", params=None)
        elif schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_no_update", params=None)
