"""Records read with a few of their fields (``.only()``), built quickly.

Django builds a record read with ``.only()`` by listing every field of its model, marking the ones
not read as deferred and going through ``Model.__init__`` field by field: for a partnership (some
forty fields) that was a third of the time the work queue's download spent on each of its 50,000
rows. A model with :class:`QuickPartialLoad` sets the fields read straight into the record, which
is all ``__init__`` does with them (a field not read stays deferred: reading it loads it, as ever).
A model that anything listens to while it is built (``pre_init``/``post_init``) is built the usual way.
"""

import functools

from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


class QuickPartialLoad:
    @classmethod
    def from_db(cls, db, field_names, values):
        if len(values) == len(cls._meta.concrete_fields) or not _built_quietly(cls):
            return super().from_db(db, field_names, values)
        record = cls.__new__(cls)
        record._state = ModelState()
        record._state.adding = False
        record._state.db = db
        record.__dict__.update(zip(field_names, values, strict=True))
        return record


@functools.cache  # one answer per model: receivers connect while the apps load, before any read
def _built_quietly(model):
    return not (pre_init.has_listeners(model) or post_init.has_listeners(model))
