"""Signals Accord sends beyond Django's own."""

from django.dispatch import Signal

# Sent by ``core.audit.record_bulk`` with ``sender`` the model and ``instances`` the rows just
# written with ``bulk_create``, which sends no ``post_save``: apps that keep something in step
# with those rows (``assurance.ig_state``) listen to it.
bulk_created = Signal()
